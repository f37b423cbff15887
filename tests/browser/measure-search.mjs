// Measures what one search downloads: serves a built site, opens /search/
// in a fresh browser context for each query (empty cache), and counts the
// bytes the server sent, split into the page itself (HTML, CSS, scripts) and
// the index files the query fetched.
//
//   node tests/browser/measure-search.mjs [--files] SITE_DIR "query" ["query&speaker=Name" ...]
//
// With --files, each file the query fetched is listed with its size.
//
// Each argument is the query string of /search/ after `q=`, so filters can
// be added as `&speaker=...`, `&tag=...`, `&transcript=slug`; or, as
// `type:words`, words typed into the search box a letter at a time (the last
// word then also stands for the words it starts), counting every request
// the typing made.
import { launch } from "./lib.mjs";
import { serve } from "./serve.mjs";

const args = process.argv.slice(2);
const listFiles = args[0] === "--files";
const [site, ...queries] = listFiles ? args.slice(1) : args;
const server = await serve(site);
const browser = await launch();
for (const query of queries) {
  const context = await browser.newContext();
  const page = await context.newPage();
  server.stats.requests.length = 0;
  const started = Date.now();
  if (query.startsWith("type:")) {
    await page.goto(`${server.url}search/`);
    await page.type("#search-q", query.slice(5), { delay: 120 });
  } else {
    const [q, ...rest] = query.split("&");
    await page.goto(`${server.url}search/?q=${encodeURIComponent(q)}${rest.length ? "&" + rest.join("&") : ""}`);
  }
  await page.waitForFunction(() => {
    const s = document.getElementById("search-status").textContent;
    return s && !/Searching/.test(s);
  }, null, { timeout: 60000 });
  await page.waitForLoadState("networkidle");
  const ms = Date.now() - started;
  const status = await page.textContent("#search-status");
  const requests = server.stats.requests;
  const sum = (f) => requests.filter(f).reduce((n, r) => n + r.bytes, 0);
  const index = sum((r) => r.path.includes("/search/data/"));
  const pageBytes = sum((r) => !r.path.includes("/search/data/"));
  const files = requests.filter((r) => r.path.includes("/search/data/")).length;
  console.log(
    `${JSON.stringify(query)}: ${status} index ${(index / 1024).toFixed(1)} KB in ${files} files` +
      ` + page ${(pageBytes / 1024).toFixed(1)} KB = ${((index + pageBytes) / 1024).toFixed(1)} KB, ${ms} ms`,
  );
  if (listFiles) {
    for (const r of requests) console.log(`  ${(r.bytes / 1024).toFixed(1).padStart(7)} KB  ${r.path}`);
  }
  await context.close();
}
await browser.close();
await server.close();

// What Pagefind downloads for a query, to hold measure-search.mjs's figures
// against: serves a site Pagefind indexed (scripts/bench.py's
// hugo-pagefind-N), and for each query, in a fresh browser context with an
// empty cache, runs Pagefind's own JavaScript API (no UI: the least it can
// fetch) and loads the first ten results' records, as a results page shows
// them. Counts the bytes the server sent for /pagefind/.
//
//   node tests/browser/measure-pagefind.mjs SITE_DIR "query" ...
import { launch } from "./lib.mjs";
import { serve } from "./serve.mjs";

const [site, ...queries] = process.argv.slice(2);
const server = await serve(site);
const browser = await launch();
for (const query of queries) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url);
  server.stats.requests.length = 0;
  const found = await page.evaluate(async (q) => {
    const pf = await import("/pagefind/pagefind.js");
    await pf.init();
    const r = await pf.search(q);
    await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
    return r.results.length;
  }, query);
  const requests = server.stats.requests.filter((r) => r.path.startsWith("/pagefind/"));
  const bytes = requests.reduce((n, r) => n + r.bytes, 0);
  console.log(`${JSON.stringify(query)}: ${found} pages found, ${(bytes / 1024).toFixed(1)} KB in ${requests.length} files`);
  await context.close();
}
await browser.close();
await server.close();

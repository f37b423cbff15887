// Takes the screenshots in docs/screenshots/: each kind of page at phone and
// desktop width, from the repository's own site. Run:
//   tests/browser/screenshots.sh
import fs from "node:fs";
import path from "node:path";
import { launch } from "./lib.mjs";
import { serve } from "./serve.mjs";

const [site, out] = process.argv.slice(2);
const home = fs.readFileSync(path.join(site, "index.html"), "utf8");
const transcript = home.match(/class="transcript-card">\s*<h2><a href="([^"]+)"/)[1];
const overview = fs.readFileSync(path.join(site, transcript, "index.html"), "utf8");
const section = overview
  .match(/class="toc-title" href="([^"]+)"/g)[1]
  .match(/href="([^"]+)"/)[1]
  .replace(/^\.\.\//, "");

/** The first link of a listing page (speakers/, tags/), relative to the site root. */
function firstListed(site, listing, pattern) {
  const html = fs.readFileSync(path.join(site, listing, "index.html"), "utf8");
  return html.match(pattern)[1].replace(/&amp;/g, "&").replace(/^\.\.\//, "");
}
const SPEAKER_LINK = /class="person-card">\s*<h2><a href="([^"]+)"/;
const TAG_LINK = /<a class="tag" href="([^"]+)"/;

const pages = {
  home: "",
  transcript,
  section,
  "section-deep-link": `${section}#q4`,
  full: `${transcript}full/`,
  search: "search/?q=open+source+models",
  speakers: "speakers/",
  speaker: firstListed(site, "speakers", SPEAKER_LINK),
  tags: "tags/",
  tag: firstListed(site, "tags", TAG_LINK),
  "not-found": "no-such-page/",
};
const widths = {
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 },
};

const server = await serve(site);
const browser = await launch();
fs.mkdirSync(out, { recursive: true });
for (const [width, options] of Object.entries(widths)) {
  const context = await browser.newContext({ ...options, colorScheme: "light" });
  const page = await context.newPage();
  for (const [name, url] of Object.entries(pages)) {
    await page.goto(server.url + url);
    if (name === "search") await page.locator(".search-result").first().waitFor();
    await page.waitForTimeout(150);
    const file = path.join(out, `${name}-${width}.png`);
    await page.screenshot({ path: file });
    console.log(`${file} ${Math.round(fs.statSync(file).size / 1024)} KB`);
  }
  await context.close();
}
await browser.close();
await server.close();

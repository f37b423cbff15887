// axe-core finds no accessibility violations on each kind of page, in the
// light and the dark colour scheme.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { LANGUAGES_SITE, RECORDED_SITE, SITE } from "./sites.mjs";
import { launch, openTab } from "./lib.mjs";
import { serve } from "./serve.mjs";
import fs from "node:fs";
import path from "node:path";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
let server, recorded, languages, browser;
before(async () => {
  server = await serve(SITE);
  recorded = await serve(RECORDED_SITE);
  languages = await serve(LANGUAGES_SITE);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await recorded?.close();
  await languages?.close();
});

async function violations(page) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n    ")}`,
    );
  });
}

const unescape = (s) => s.replace(/&amp;/g, "&");

/** The first link of a listing page (speakers/, tags/), relative to the site root. */
function firstListed(site, listing, pattern) {
  const html = fs.readFileSync(path.join(site, listing, "index.html"), "utf8");
  return html.match(pattern)[1].replace(/&amp;/g, "&").replace(/^\.\.\//, "");
}
const SPEAKER_LINK = /class="person-card">\s*<h2><a href="([^"]+)"/;
const TAG_LINK = /<a class="tag" href="([^"]+)"/;

/** One page of each kind, found from the home page's first transcript. */
function pagesOfEachKind() {
  const home = fs.readFileSync(path.join(SITE, "index.html"), "utf8");
  const transcript = unescape(home.match(/class="transcript-card">\s*<h2><a href="([^"]+)"/)[1]);
  const overview = fs.readFileSync(path.join(SITE, transcript, "index.html"), "utf8");
  // Links on the overview are relative to it.
  const section = transcript + unescape(overview.match(/class="toc-title" href="([^"]+)"/)[1]).replace(/^\.\.\/[^/]+\//, "");
  return {
    home: "",
    transcript,
    section,
    full: `${transcript}full/`,
    search: "search/?q=model",
    speakers: "speakers/",
    speaker: firstListed(SITE, "speakers", SPEAKER_LINK),
    tags: "tags/",
    tag: firstListed(SITE, "tags", TAG_LINK),
    "not found": "no-such-page/",
  };
}

for (const scheme of ["light", "dark"]) {
  for (const [kind, url] of Object.entries(pagesOfEachKind())) {
    test(`axe finds no violations on the ${kind} page (${scheme})`, async () => {
      const { context, page } = await openTab(browser, server.url, { colorScheme: scheme });
      try {
        await page.goto(server.url + url);
        if (kind === "search") await page.waitForSelector(".search-result");
        const found = await violations(page);
        assert.deepEqual(found, [], found.join("\n"));
      } finally {
        await context.close();
      }
    });
  }
}

// A transcript with a recording: its overview (timed index, downloads) and
// a section page while a turn is marked as spoken and "Follow" is shown.
for (const scheme of ["light", "dark"]) {
  for (const url of ["harbour-keeper/", "harbour-keeper/arriving/#t4"]) {
    test(`axe finds no violations on the recorded page ${url} (${scheme})`, async () => {
      const { context, page } = await openTab(browser, recorded.url, { colorScheme: scheme });
      try {
        await page.goto(recorded.url + url);
        if (url.includes("#t4")) {
          await page.waitForSelector('.turn[aria-current="true"]');
          await page.evaluate(() => (document.querySelector(".player .follow").hidden = false));
        }
        const found = await violations(page);
        assert.deepEqual(found, [], found.join("\n"));
      } finally {
        await context.close();
      }
    });
  }
}

// The languages fixture: the German home and search, the transcripts'
// pages in each other language the theme ships (Chinese, Arabic and Hebrew
// right to left, French, Spanish, Italian), in the theme's words of each,
// and the German interview beside its Chinese translation.
for (const scheme of ["light", "dark"]) {
  for (const url of ["", "search/?q=Werkstatt", "werkstatt-zh/", "werkstatt-zh/full/", "werkstatt/side-by-side/werkstatt-zh/", "souq/", "souq/full/", "atelier/", "taller/", "bottega/", "sadna/", "sadna/full/"]) {
    test(`axe finds no violations on the languages page /${url} (${scheme})`, async () => {
      const { context, page } = await openTab(browser, languages.url, { colorScheme: scheme });
      try {
        await page.goto(languages.url + url);
        if (url.startsWith("search")) await page.waitForSelector(".search-result");
        const found = await violations(page);
        assert.deepEqual(found, [], found.join("\n"));
      } finally {
        await context.close();
      }
    });
  }
}

// Pages in their language, in a real browser (tests/fixtures/languages/):
// an Arabic transcript lays out right to left as a whole, on desktop and
// phone, and the theme script writes its words in the page's language; a
// German interview and its Chinese translation switch into each other at
// the reader's turn and read side by side, in two columns on desktop and
// one chosen column on a phone.
// Each check saves its screenshot beside the test run (VERBATIM_SHOTS).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { LANGUAGES_SITE } from "./sites.mjs";
import { launch, openTab } from "./lib.mjs";
import { serve } from "./serve.mjs";

let server, browser;
before(async () => {
  server = await serve(LANGUAGES_SITE);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const shots = process.env.VERBATIM_SHOTS;
const widths = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };

for (const [width, viewport] of Object.entries(widths)) {
  test(`an Arabic section page reads right to left (${width})`, async () => {
    const { context, page, problems } = await openTab(browser, server.url.replace(/\/$/, ""), { viewport });
    try {
      await page.goto(server.url + "souq/");
      const section = await page.$eval(".toc-title", (a) => a.getAttribute("href"));
      await page.goto(new URL(section, server.url + "souq/").href);
      assert.equal(await page.$eval("html", (h) => getComputedStyle(h).direction), "rtl");
      // The title and each turn's speaker start at the right edge of the
      // column; the turn's # link and buttons sit at its left.
      const box = (sel) => page.$eval(sel, (e) => { const r = e.getBoundingClientRect(); return { left: r.left, right: r.right }; });
      const main = await box("main");
      const title = await box(".page-title");
      const speaker = await box(".turn .speaker");
      const link = await box(".turn .self-link");
      const pad = await page.$eval("main", (m) => parseFloat(getComputedStyle(m).paddingRight));
      assert.ok(Math.abs(main.right - pad - title.right) < 2, `title ends at ${title.right}, column at ${main.right - pad}`);
      assert.ok(speaker.right > link.right, "the speaker stands right of the # link");
      // The script's words are Arabic.
      await page.waitForSelector(".copy-link");
      assert.equal(await page.$eval(".copy-link", (b) => b.firstChild.textContent), "انسخ الرابط");
      // The citation's English styles stay left to right inside it.
      assert.equal(await page.$eval(".cite-styles", (e) => getComputedStyle(e).direction), "ltr");
      if (shots) await page.screenshot({ path: path.join(shots, `rtl-section-${width}.png`), fullPage: width === "phone" });
      assert.deepEqual(problems.console, [], "console errors");
    } finally {
      await context.close();
    }
  });
}

test("the German search page counts its results in German", async () => {
  const { context, page, problems } = await openTab(browser, server.url.replace(/\/$/, ""));
  try {
    await page.goto(server.url + "search/?q=Werkstatt");
    await page.waitForSelector(".search-result");
    const status = await page.$eval("#search-status", (s) => s.textContent);
    assert.match(status, /Wortwechsel gefunden/);
    assert.equal(await page.$eval("#search-more", (b) => b.textContent), "Mehr Ergebnisse zeigen");
    assert.deepEqual(problems.console, [], "console errors");
  } finally {
    await context.close();
  }
});

test("the language switch keeps the turn, as the other language numbers it", async () => {
  const { context, page, problems } = await openTab(browser, server.url.replace(/\/$/, ""));
  try {
    // The Chinese translation says the German t4 in two turns, t4 and t5.
    await page.goto(server.url + "werkstatt-zh/gong-zuo/#t5");
    await Promise.all([page.waitForNavigation(), page.click(".language-list a")]);
    assert.equal(new URL(page.url()).pathname, "/werkstatt/die-arbeit/");
    assert.equal(new URL(page.url()).hash, "#t4");
    assert.equal(await page.$eval("html", (h) => h.lang), "de");
    // One for one elsewhere: #t3 stays #t3.
    await page.goto(server.url + "werkstatt/die-arbeit/#t3");
    await Promise.all([page.waitForNavigation(), page.click(".language-list a")]);
    assert.equal(new URL(page.url()).pathname, "/werkstatt-zh/gong-zuo/");
    assert.equal(new URL(page.url()).hash, "#t3");
    assert.deepEqual(problems.console, [], "console errors");
  } finally {
    await context.close();
  }
});

for (const [width, viewport] of Object.entries(widths)) {
  test(`two languages side by side (${width})`, async () => {
    const { context, page, problems } = await openTab(browser, server.url.replace(/\/$/, ""), { viewport });
    try {
      await page.goto(server.url + "werkstatt/side-by-side/werkstatt-zh/#t2");
      const box = (sel) => page.$eval(sel, (e) => {
        const r = e.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, shown: getComputedStyle(e).display !== "none" };
      });
      const a = await box("#t2 .cell-a");
      const b = await box("#t2 .cell-b");
      assert.equal(await page.$eval("#t2 .cell-b", (e) => e.lang), "zh");
      if (width === "desktop") {
        // Two columns: the German left, the Chinese right, on one line;
        // the phone's switch stays hidden.
        assert.ok(a.right <= b.left, `German ends at ${a.right}, Chinese starts at ${b.left}`);
        assert.ok(Math.abs(a.top - b.top) < 2, "both cells start on one line");
        assert.equal((await box(".parallel-show")).shown, false);
      } else {
        // One column, the reader's choice: German first, then Chinese.
        assert.ok(b.shown === false && a.shown, "the phone shows one language");
        await page.click(".parallel-show button[data-show=b]");
        assert.equal((await box("#t2 .cell-a")).shown, false);
        assert.equal((await box("#t2 .cell-b")).shown, true);
        assert.equal(await page.$eval(".parallel-show button[data-show=b]", (e) => e.getAttribute("aria-pressed")), "true");
        // The language chosen holds on the next page of the session, on
        // whichever side it stands there.
        await page.goto(server.url + "werkstatt-zh/side-by-side/werkstatt/");
        assert.equal(await page.$eval(".parallel", (e) => e.dataset.show), "a");
        assert.equal(await page.$eval(".parallel-show [aria-pressed=true]", (e) => e.lang), "zh");
      }
      if (shots) await page.screenshot({ path: path.join(shots, `side-by-side-${width}.png`), fullPage: true });
      assert.deepEqual(problems.console, [], "console errors");
    } finally {
      await context.close();
    }
  });
}

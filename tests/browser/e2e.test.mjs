// A reader's paths through the site, in a real browser: no console errors
// and no request to any host but the local server on any of them.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { SITE } from "./sites.mjs";
import { launch, openTab } from "./lib.mjs";
import { serve } from "./serve.mjs";

let server, browser, tab;
before(async () => {
  server = await serve(SITE);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});
afterEach(async () => {
  if (!tab) return;
  const { context, problems } = tab;
  tab = null;
  await context.close();
  assert.deepEqual(problems.console, [], "console errors");
  assert.deepEqual(problems.foreign, [], "requests to other hosts");
});

async function open(url) {
  tab = await openTab(browser, server.url.replace(/\/$/, ""));
  await tab.page.goto(server.url + url);
  return tab.page;
}

/** True when the element's top is inside the viewport. */
function inView(page, selector) {
  return page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    return r.top >= -1 && r.top < window.innerHeight;
  });
}

test("home -> transcript -> section -> next section", async () => {
  const page = await open("");
  const card = page.locator(".transcript-card h2 a").first();
  const title = (await card.textContent()).trim();
  await card.click();
  await page.waitForURL(/\/[^/]+\/$/);
  assert.equal((await page.textContent("h1")).trim(), title);

  const first = page.locator(".toc-title").first();
  const firstTitle = (await first.textContent()).replace(/^\s*\d+\s*/, "").trim();
  await first.click();
  assert.match(await page.textContent("h1"), new RegExp(firstTitle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  assert.equal((await page.textContent(".eyebrow")).trim().startsWith("Section 1 of"), true);
  const sectionUrl = page.url();

  const next = page.locator(".pager a[rel=next]");
  const nextTitle = (await next.textContent()).replace(/^\s*Next\s*/, "").trim();
  await next.click();
  await page.waitForURL((u) => u.toString() !== sectionUrl);
  assert.equal((await page.textContent("h1")).trim(), nextTitle);
  assert.equal((await page.textContent(".eyebrow")).trim().startsWith("Section 2 of"), true);
  await page.locator(".pager a[rel=prev]").click();
  await page.waitForURL(sectionUrl);
});

test("a search from the header box lands on the turn that holds the words, marked", async () => {
  const page = await open("");
  // A phrase from the middle of an answer of the first transcript.
  await page.locator(".transcript-card h2 a").first().click();
  await page.locator(".toc-title").nth(1).click();
  const answer = page.locator(".exchange .turn-answer .turn-body p").nth(1);
  const words = (await answer.textContent()).split(/\s+/).filter(Boolean);
  const phrase = words.slice(3, 9).join(" ");
  const turnId = await answer.evaluate((el) => el.closest(".turn").id);
  const sectionPath = new URL(page.url()).pathname;

  await page.fill("#site-search-q", phrase);
  await page.press("#site-search-q", "Enter");
  await page.waitForURL(/\/search\/\?q=/);
  await page.locator(".search-result").first().waitFor();
  const status = () => page.textContent("#search-status");
  assert.match(await status(), /as a phrase/);
  const phraseCount = parseInt(await status(), 10);

  // Every exchange with all the words: at least as many, the phrase first.
  await page.click("#search-all");
  await page.waitForFunction(() => /found\.$/.test(document.getElementById("search-status").textContent));
  assert.ok(parseInt(await status(), 10) >= phraseCount);
  const first = page.locator(".search-result").first();
  assert.match(await first.locator(".result-excerpt").innerHTML(), /<mark>/);
  const context = await first.locator(".result-context").textContent();
  assert.ok(context.includes("›"), context);

  await first.locator("h2 a").click();
  await page.waitForURL((u) => u.hash === `#${turnId}`);
  assert.equal(new URL(page.url()).pathname, sectionPath);
  assert.ok(await inView(page, `#${turnId}`), "the turn is scrolled into view");
  // The words the search found are marked in that turn, and only there.
  const marked = await page.$$eval(`#${turnId} mark.found`, (ms) => ms.map((m) => m.textContent.toLowerCase()));
  const searched = words.slice(3, 9).map((w) => w.replace(/[^\p{L}\p{N}]/gu, "").toLowerCase()).filter(Boolean);
  assert.ok(searched.length >= 3, `words to look for: ${searched}`);
  for (const w of searched) {
    assert.ok(marked.includes(w), `${w} is marked (${marked.join(", ")})`);
  }
  assert.equal(await page.$$eval("mark.found", (ms) => ms.filter((m) => !m.closest(`#${CSS.escape(location.hash.slice(1))}`)).length), 0);
});

test("the stemmer comes as gzip, or as its text where the page's policy refuses a blob: script", async () => {
  const stemmers = (requests) => requests.map((r) => r.path).filter((p) => /\/stem-/.test(p));
  server.stats.requests.length = 0;
  const page = await open("search/?q=questions");
  await page.locator(".search-result").first().waitFor();
  assert.deepEqual(stemmers(server.stats.requests), ["/search/data/stem-english.bin"]);

  // A host that allows scripts from the site's own address only.
  const strict = await serve(SITE, "/", 0, { "content-security-policy": "script-src 'self'" });
  try {
    const { context, page: guarded, problems } = await openTab(browser, strict.url.replace(/\/$/, ""));
    await guarded.goto(strict.url + "search/?q=questions");
    await guarded.locator(".search-result").first().waitFor();
    assert.equal(await guarded.textContent("#search-status"), await page.textContent("#search-status"));
    assert.deepEqual(stemmers(strict.stats.requests), ["/search/data/stem-english.bin", "/search/data/stem-english.js"]);
    // The refusal is the browser's report, the only one.
    assert.ok(problems.console.length > 0 && problems.console.every((m) => /blob:/.test(m)), problems.console.join("\n"));
    await context.close();
  } finally {
    await strict.close();
  }
});

test("search filters narrow results by speaker, transcript and tag", async () => {
  const page = await open("search/");
  await page.fill("#search-q", "the");
  await page.press("#search-q", "Enter");
  await page.locator(".search-result").first().waitFor();
  const all = parseInt(await page.textContent("#search-status"), 10);

  // A speaker from the list: every result is theirs.
  const speaker = await page.$eval("#search-speaker option:nth-child(2)", (o) => o.value);
  await page.selectOption("#search-speaker", speaker);
  await page.waitForFunction(() => !/Searching/.test(document.getElementById("search-status").textContent));
  const bySpeaker = parseInt(await page.textContent("#search-status"), 10);
  assert.ok(bySpeaker > 0 && bySpeaker <= all, `${bySpeaker} of ${all}`);
  assert.match(page.url(), /speaker=/);
  await page.selectOption("#search-speaker", "");

  // The transcript list loads when the reader goes for it.
  await page.focus("#search-transcript");
  await page.waitForSelector("#search-transcript option:nth-child(2)", { state: "attached" });
  const transcript = await page.$eval("#search-transcript option:nth-child(2)", (o) => o.value);
  await page.selectOption("#search-transcript", transcript);
  await page.waitForFunction(() => !/Searching/.test(document.getElementById("search-status").textContent));
  const links = await page.$$eval(".search-result h2 a", (as) => as.map((a) => a.getAttribute("href")));
  assert.ok(links.length > 0);
  for (const href of links) assert.ok(href.startsWith(`../${transcript}/`), href);

  // A tag from the list, through the URL: the filter is applied on load.
  const tag = await page.$eval("#search-tag option:nth-child(2)", (o) => o.value);
  const tagged = await open(`search/?tag=${encodeURIComponent(tag)}`);
  await tagged.locator(".search-result").first().waitFor();
  assert.equal(await tagged.$eval("#search-tag", (s) => s.value), tag);
});

test("a search for words that are nowhere says so", async () => {
  const page = await open("search/?q=qwxzzy+vvqqz");
  await page.waitForFunction(() => /No exchange/.test(document.getElementById("search-status").textContent));
  assert.equal(await page.locator(".search-result").count(), 0);
});

test("a deep link to an exchange scrolls to it", async () => {
  const home = await open("");
  await home.locator(".transcript-card h2 a").first().click();
  await home.locator(".toc-title").first().click();
  const ids = await home.$$eval(".exchange", (els) => els.map((e) => e.id));
  const target = ids[ids.length - 1];
  const url = new URL(home.url()).pathname + "#" + target;
  await tab.context.close();
  tab = null;

  const page = await open(url.replace(/^\//, ""));
  await page.waitForLoadState("load");
  assert.ok(await inView(page, `#${target}`), `#${target} is in view`);
  assert.ok(await page.$eval(`#${target}`, (el) => el.matches(":target")), "it is the :target");
});

test("printed, a page keeps the rights line and its address, and drops the furniture", async () => {
  const page = await open("");
  await page.locator(".transcript-card h2 a").first().click();
  await page.locator(".toc-title").first().click();
  const address = await page.getAttribute('link[rel="canonical"]', "href");
  assert.equal(await page.isVisible(".site-footer .print-only"), false, "the address is for print only");
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.isVisible(".site-footer .rights"), true);
  assert.equal((await page.textContent(".site-footer .print-only")).trim(), address);
  assert.equal(await page.isVisible(".site-footer .print-only"), true);
  for (const gone of [".site-header", ".pager", ".made-with", ".cite-formats", ".cite-turn"]) {
    assert.equal(await page.isVisible(gone), false, `${gone} is not printed`);
  }
  // The section's citation prints, in its three styles, with its address.
  assert.equal(await page.isVisible(".cite .cite-styles"), true);
  assert.equal(await page.textContent(".cite h2"), "Cite this section");
  const styles = await page.locator(".cite .cite-styles dd").allTextContents();
  assert.equal(styles.length, 3);
  const bare = address.replace(/\/index\.html$/, "/");
  for (const text of styles) assert.ok(text.includes(bare), `${text} holds ${bare}`);
  // Print margins: the stylesheet's @page rule, as the browser parsed it.
  const margin = await page.evaluate(() => {
    for (const sheet of document.styleSheets) {
      for (const rule of sheet.cssRules) {
        const inner = rule.cssRules ? [...rule.cssRules] : [rule];
        for (const r of inner) if (r instanceof CSSPageRule) return r.style.margin;
      }
    }
    return null;
  });
  assert.equal(margin, "2cm 2.2cm");
  await page.emulateMedia({ media: "screen" });
});

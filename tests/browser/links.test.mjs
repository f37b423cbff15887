// The site built for https://example.org/interviews/ and served under
// /interviews/ has no broken link, asset or anchor: every page is crawled from
// the home page in Chromium. The same site opened from disk navigates.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { pathToFileURL } from "node:url";
import path from "node:path";
import { SUBPATH_SITE } from "./sites.mjs";
import { launch, openTab, htmlFiles, pageUrl } from "./lib.mjs";
import { serve } from "./serve.mjs";

const BASE = "https://example.org/interviews/";
let server, browser;
before(async () => {
  server = await serve(SUBPATH_SITE, "/interviews/");
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("every link, asset and anchor under /interviews/ resolves", async () => {
  const { context, page, problems } = await openTab(browser, server.url.replace(/\/interviews\/$/, ""));
  const origin = new URL(server.url).origin;
  const failed = [];
  page.on("response", (r) => {
    if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
  });
  const ids = new Map(); // page URL (no hash) -> Set of ids
  const anchors = []; // [from, to]
  const queue = [server.url];
  const seen = new Set(queue);
  const canonicals = [];
  while (queue.length) {
    const url = queue.shift();
    const response = await page.goto(url);
    assert.equal(response.status(), 200, `${url} answers 200`);
    const found = await page.evaluate(() => ({
      ids: [...document.querySelectorAll("[id]")].map((e) => e.id),
      links: [...document.querySelectorAll("a[href], link[href], script[src], img[src], audio[src], video[src], source[src]")]
        .map((e) => ({ rel: e.getAttribute("rel"), url: e.href || e.src }))
        .concat([...document.querySelectorAll("form[action]")].map((f) => ({ rel: null, url: f.action }))),
      canonical: document.querySelector("link[rel=canonical]")?.href,
    }));
    ids.set(url, new Set(found.ids));
    canonicals.push([url, found.canonical]);
    for (const { rel, url: target } of found.links) {
      if (rel === "canonical" || target.startsWith("data:")) continue;
      const u = new URL(target);
      if (u.origin !== origin) continue; // other hosts: checked by no request leaving
      assert.ok(u.pathname.startsWith("/interviews/"), `${url} links outside the site: ${target}`);
      if (u.hash) anchors.push([url, target]);
      u.hash = "";
      const clean = u.toString();
      if (!seen.has(clean)) {
        seen.add(clean);
        // Pages are crawled in the browser; other files are fetched.
        if (clean.endsWith("/") || clean.endsWith(".html")) queue.push(clean);
        else {
          const r = await page.request.get(clean);
          if (r.status() !== 200) failed.push(`${r.status()} ${clean} (from ${url})`);
        }
      }
    }
  }
  for (const [from, to] of anchors) {
    const u = new URL(to);
    const id = decodeURIComponent(u.hash.slice(1));
    u.hash = "";
    const target = ids.get(u.toString());
    if (target && !target.has(id)) failed.push(`missing anchor ${to} (from ${from})`);
  }
  await context.close();
  assert.deepEqual(failed, [], failed.join("\n"));
  assert.deepEqual(problems.console, [], "console errors");

  // Every page of the site was reached, and names its canonical URL.
  const reached = new Set([...seen].map((u) => u.slice(server.url.length)));
  const missing = htmlFiles(SUBPATH_SITE)
    .filter((f) => f !== "404.html")
    .map(pageUrl)
    .filter((u) => !reached.has(u));
  assert.deepEqual(missing, [], "pages no link leads to");
  for (const [url, canonical] of canonicals) {
    assert.equal(canonical, BASE + url.slice(server.url.length), `canonical link of ${url}`);
  }
});

test("the not-found page works at any depth under /interviews/", async () => {
  const { context, page } = await openTab(browser, new URL(server.url).origin);
  const response = await page.goto(server.url + "no/such/page/");
  assert.equal(response.status(), 404);
  const css = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  assert.ok(css.length > 0);
  const bad = await page.evaluate(async () => {
    const out = [];
    for (const a of document.querySelectorAll("a[href], link[rel=stylesheet], script[src]")) {
      const url = a.href || a.src;
      if (!url.startsWith(location.origin) || url.startsWith(location.href.split("#")[0] + "#")) continue;
      const r = await fetch(url);
      if (!r.ok) out.push(`${r.status} ${url}`);
    }
    return out;
  });
  await context.close();
  assert.deepEqual(bad, []);
});

test("opened from disk, the site navigates home -> transcript -> section -> next", async () => {
  const { context, page, problems } = await openTab(browser, "file://");
  const home = pathToFileURL(path.join(SUBPATH_SITE, "index.html")).toString();
  await page.goto(home);
  await page.locator(".transcript-card h2 a").first().click();
  await page.waitForLoadState("load");
  assert.match(page.url(), /\/index\.html$/);
  const title = await page.textContent("h1");
  await page.locator(".toc-title").first().click();
  await page.waitForLoadState("load");
  assert.match(page.url(), /\/index\.html$/);
  await page.locator(".pager a[rel=next]").click();
  await page.waitForLoadState("load");
  assert.match(page.url(), /\/index\.html$/);
  assert.match(await page.textContent(".eyebrow"), /Section 2 of/);
  await page.locator(".breadcrumbs a").nth(1).click();
  await page.waitForLoadState("load");
  assert.equal(await page.textContent("h1"), title);
  await page.locator(".breadcrumbs a").first().click();
  await page.waitForLoadState("load");
  assert.equal(page.url(), home);
  // The stylesheet loaded from disk too.
  const styled = await page.evaluate(() => getComputedStyle(document.querySelector(".site-header")).borderBottomStyle);
  assert.equal(styled, "solid");
  await context.close();
  assert.deepEqual(problems.console, [], "console errors");
  assert.deepEqual(problems.foreign, [], "requests off the disk");
});

test("search works under /interviews/ and its results resolve", async () => {
  const { context, page, problems } = await openTab(browser, new URL(server.url).origin);
  await page.goto(server.url + "search/?q=the");
  await page.locator(".search-result").first().waitFor();
  const first = page.locator(".search-result h2 a").first();
  const href = await first.evaluate((a) => a.href);
  assert.ok(href.startsWith(server.url), href);
  await first.click();
  await page.waitForURL(href);
  const id = new URL(href).hash.slice(1);
  assert.equal(await page.locator(`[id="${id}"]`).count(), 1);
  await context.close();
  assert.deepEqual(problems.console, [], "console errors");
});

test("opened from disk, the search page says it needs a server, without errors", async () => {
  const { context, page, problems } = await openTab(browser, "file://");
  await page.goto(pathToFileURL(path.join(SUBPATH_SITE, "index.html")).toString());
  await page.fill("#site-search-q", "model");
  await page.press("#site-search-q", "Enter");
  await page.waitForURL(/search\/index\.html\?q=model$/);
  assert.match(await page.textContent("#search-status"), /served over HTTP/);
  await context.close();
  assert.deepEqual(problems.console, [], "console errors");
});

// Shared by the browser tests: how to start Debian's Chromium, how to open
// a tab that records errors and foreign requests, and how to list pages.
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";

/**
 * Debian's chromium, headless, with no background traffic of its own.
 * Playwright gives every launch a fresh temporary profile (it refuses a
 * --user-data-dir argument), so no state carries over between runs.
 */
export function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extraArgs,
    ],
  });
}

/** Every .html file of a built site, relative to it, with "/". */
export function htmlFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".html")) out.push(path.relative(dir, p).split(path.sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

/** The URL path of a page file: "a/b/index.html" -> "a/b/". */
export function pageUrl(file) {
  return file.endsWith("index.html") ? file.slice(0, -"index.html".length) : file;
}

/**
 * Opens a page in a new tab that records console errors, page errors and
 * every request; a request to any host but `allowedOrigin` is aborted.
 */
export async function openTab(browser, allowedOrigin, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = { console: [], foreign: [] };
  page.on("console", (m) => {
    if (m.type() === "error") problems.console.push(m.text());
  });
  page.on("pageerror", (e) => problems.console.push(String(e)));
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (allowedOrigin && !url.startsWith(allowedOrigin)) {
      problems.foreign.push(url);
      return route.abort();
    }
    return route.continue();
  });
  return { context, page, problems };
}

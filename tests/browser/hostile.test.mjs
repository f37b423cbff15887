// The hostile fixture site (tests/hostile/, built by run.sh) in Chromium with
// alert, confirm, prompt and print hooked: every page is loaded, left to
// settle, every focusable element is focused and the page tabbed through
// (so autofocus and onfocus payloads fire), and mouse events are sent to
// every element (onmouseover payloads). Any dialog call, any real dialog,
// any `on...` attribute in the live DOM or any of the fixtures' marker
// payloads (data-pwned, the PWNED title, <pwned-el>) fails the test, naming
// the page. Controls, pages written here, prove each way of being caught.
import { test, describe, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, htmlFiles, pageUrl } from "./lib.mjs";
import { serve } from "./serve.mjs";

const HOSTILE_SITE = process.env.VERBATIM_HOSTILE_SITE;
if (!HOSTILE_SITE) {
  throw new Error("run the browser tests with tests/browser/run.sh, which builds the hostile site");
}

const DIALOGS = ["alert", "confirm", "prompt", "print"];
/** After load, before and after the interactions: time for timers to fire. */
const SETTLE_MS = 300;
/** At most this many Tab presses a page. */
const MAX_TABS = 400;

let browser, server, controls, controlServer;
before(async () => {
  browser = await launch();
  server = await serve(HOSTILE_SITE);
  controls = fs.mkdtempSync(path.join(os.tmpdir(), "verbatim-hostile-controls-"));
  controlServer = await serve(controls);
});
after(async () => {
  await browser?.close();
  await server?.close();
  await controlServer?.close();
  if (controls) fs.rmSync(controls, { recursive: true, force: true });
});

/**
 * Opens `url` with every dialog hooked (unless `hooks` is false: then only
 * the dialog listener), plays the interactions and returns what it saw: a
 * list of strings, empty when nothing ran.
 */
async function probe(url, { hooks = true } = {}) {
  const context = await browser.newContext();
  const seen = [];
  try {
    // The replacements are installed before any of the page's own script
    // runs, in the page and in every frame that navigates; they report
    // through a binding, which reaches Node from any frame.
    await context.exposeBinding("__verbatimDialogCall", ({ frame }, name, args) => {
      seen.push(`${name}(${args}) called in ${frame.url() || "a frame"}`);
    });
    if (hooks) await context.addInitScript((names) => {
      for (const name of names) {
        const hook = function (...args) {
          window.__verbatimDialogCall(name, args.map(String).join(", "));
          return name === "confirm" ? false : name === "prompt" ? null : undefined;
        };
        try {
          Object.defineProperty(window, name, { value: hook, writable: true, configurable: true });
        } catch {
          window[name] = hook;
        }
      }
    }, DIALOGS);
    // Requests leave no machine: the fixtures name example.org media.
    const origin = new URL(url).origin;
    await context.route("**/*", (route) =>
      route.request().url().startsWith(origin) ? route.continue() : route.abort(),
    );
    const page = await context.newPage();
    // A dialog that got past the hooks (none is known to: Playwright hooks
    // about:blank frames made by script too, the "frame.html" control).
    page.on("dialog", async (d) => {
      seen.push(`a real ${d.type()} dialog: ${JSON.stringify(d.message())}`);
      await d.dismiss().catch(() => {});
    });
    await page.goto(url, { waitUntil: "load" });
    await page.waitForTimeout(SETTLE_MS);

    // Focus every element that can take focus, by script.
    await page.evaluate(() => {
      const focusable =
        "a[href], area[href], button, input, select, textarea, summary, iframe, audio[controls], video[controls], [tabindex], [contenteditable], h1, h2, h3, h4, h5, h6";
      for (const el of document.querySelectorAll(focusable)) {
        el.focus({ preventScroll: true });
        el.blur();
      }
    });
    // And as a reader does: Tab through the page.
    const stops = await page.evaluate(() => document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]").length);
    for (let i = 0; i < Math.min(stops + 5, MAX_TABS); i++) await page.keyboard.press("Tab");
    // Mouse events on every element (inline handlers run on them as on a
    // reader's pointer).
    await page.evaluate(() => {
      for (const el of document.querySelectorAll("body *")) {
        for (const type of ["mouseover", "mouseenter", "mousemove", "pointerover", "pointerenter"]) {
          el.dispatchEvent(new MouseEvent(type, { bubbles: type !== "mouseenter" && type !== "pointerenter" }));
        }
      }
    });
    await page.waitForTimeout(SETTLE_MS);

    // What the payloads leave behind when they run without a dialog.
    const left = await page.evaluate(() => {
      const out = [];
      if (document.documentElement.getAttribute("data-pwned") === "1") out.push("<html data-pwned=1> was set");
      if (document.title.includes("PWNED")) out.push(`the title was set: ${document.title}`);
      if (document.querySelector("pwned-el")) out.push("a <pwned-el> was added");
      for (const el of document.querySelectorAll("*")) {
        for (const name of el.getAttributeNames()) {
          if (name.toLowerCase().startsWith("on") || name.toLowerCase() === "autofocus") {
            out.push(`<${el.localName} ${name}="${el.getAttribute(name)}"> is in the DOM`);
          }
        }
      }
      return out;
    });
    seen.push(...left);
  } finally {
    await context.close();
  }
  return seen;
}

// The pages, each by its URL, plus the search page over HTTP with queries
// that find the payloads (its results are made by script from the index).
const pages = htmlFiles(HOSTILE_SITE).map(pageUrl);
const searches = ["script", "alert", "onfocus", "click me", "onmouseover", "img"].map(
  (q) => `search/?q=${encodeURIComponent(q)}`,
);

test("the hostile site has pages of every format", () => {
  assert.ok(pages.length >= 30, `only ${pages.length} pages: ${pages.join(" ")}`);
  for (const transcript of ["hostile", "hostile-controls", "hostile-plain", "hostile-chat", "hostile-captions", "hostile-page"]) {
    assert.ok(pages.includes(`${transcript}/full/`), `${transcript}/full/ was built`);
  }
});

// Four pages at a time, each in its own browser context.
describe("every hostile page", { concurrency: 4 }, () => {
  for (const url of [...pages, ...searches]) {
    test(`hostile page ${url || "/"}: no dialog call, no payload ran`, async () => {
      const seen = await probe(server.url + url);
      assert.deepEqual(seen, [], `${url || "/"}: ${seen.length} payloads ran:\n${seen.join("\n")}`);
    });
  }
});

// Each control is a page the probe must catch, and what it must report.
const CONTROLS = {
  "inline-alert.html": ["<!doctype html><title>c</title><script>alert(document.domain)</script>", /^alert\(127\.0\.0\.1\)/],
  "autofocus.html": [
    "<!doctype html><title>c</title><h3 tabindex=0 autofocus onfocus=\"confirm('focus')\">Click me</h3>",
    /^confirm\(focus\)/,
  ],
  "tab.html": ["<!doctype html><title>c</title><p>x</p><a href=# onfocus=\"prompt('tab')\">a</a>", /^prompt\(tab\)/],
  "hover.html": ["<!doctype html><title>c</title><h3 id=x onmouseover=\"print()\">Hover</h3>", /^print\(\)/],
  "late.html": ["<!doctype html><title>c</title><script>setTimeout(() => alert('late'), 100)</script>", /^alert\(late\)/],
  "frame.html": [
    "<!doctype html><title>c</title><script>const f = document.createElement('iframe'); document.documentElement.append(f); f.contentWindow.alert('frame')</script>",
    /alert|dialog/,
  ],
  "marker.html": [
    "<!doctype html><title>c</title><img src=x onerror=\"document.documentElement.setAttribute('data-pwned','1')\">",
    /data-pwned/,
  ],
};

for (const [name, [html, want]] of Object.entries(CONTROLS)) {
  test(`control: the probe catches ${name}`, async (t) => {
    fs.writeFileSync(path.join(controls, name), html);
    const seen = await probe(controlServer.url + name);
    t.diagnostic(`${name}: ${seen.join("; ")}`);
    assert.ok(seen.length > 0, `${name}: nothing was caught`);
    assert.ok(seen.some((s) => want.test(s)), `${name}: expected ${want}, saw:\n${seen.join("\n")}`);
  });
}

test("control: with the hooks off, the dialog listener still catches an alert", async (t) => {
  fs.writeFileSync(path.join(controls, "real.html"), "<!doctype html><title>c</title><script>alert('real')</script>");
  const seen = await probe(controlServer.url + "real.html", { hooks: false });
  t.diagnostic(seen.join("; "));
  assert.ok(seen.some((s) => /^a real alert dialog: "real"/.test(s)), seen.join("\n"));
});

test("control: a clean page reports nothing", async () => {
  fs.writeFileSync(path.join(controls, "clean.html"), "<!doctype html><title>c</title><h3 id=a class=b tabindex=-1>Fine</h3><a href=#a>a</a>");
  assert.deepEqual(await probe(controlServer.url + "clean.html"), []);
});

// The media-synced reader, in real Chromium, with a real recording (a
// two-minute tone made by sox in run.sh) of the fixture
// tests/fixtures/recorded/: served by `verbatim serve` (byte ranges) and by
// a plain static server that answers none (serve.mjs). Time links play from
// their time, the spoken turn is marked and followed, links with times cue
// the player, the place carries across pages, and the captions track holds
// every cue of the WebVTT export.
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { launch, openTab } from "./lib.mjs";
import { serve } from "./serve.mjs";

const ROOT = process.env.VERBATIM_RECORDED_ROOT;
const SITE = process.env.VERBATIM_RECORDED_SITE;
const BIN = process.env.VERBATIM_BIN;
if (!ROOT || !SITE || !BIN) throw new Error("run with tests/browser/run.sh, which builds the recorded site");
const T = "harbour-keeper/";

/** `verbatim serve` on a free port; resolves to { url, close }. */
function verbatimServe() {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ["serve", "--root", ROOT, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const seen = (chunk) => {
      out += chunk;
      const m = /Serving .* at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve({ url: m[1], close: async () => child.kill() });
    };
    child.stdout.on("data", seen);
    child.stderr.on("data", seen);
    child.on("exit", (code) => reject(new Error(`verbatim serve exited (${code}): ${out}`)));
  });
}

let browser;
before(async () => {
  // Pages resumed mid-recording play on without a click, as they do for a
  // reader who clicked play on the page before.
  browser = await launch(["--autoplay-policy=no-user-gesture-required"]);
});
after(async () => browser?.close());

const state = (page) =>
  page.evaluate(() => {
    const a = document.querySelector(".player audio");
    const marked = document.querySelector('.turn[aria-current="true"]');
    let shown = false;
    if (marked) {
      const r = marked.getBoundingClientRect();
      shown = r.bottom > 0 && r.top < innerHeight;
    }
    return { time: a.currentTime, paused: a.paused, marked: marked && marked.id, shown };
  });

async function until(page, what, check, timeout = 8000) {
  const start = Date.now();
  let s;
  while (Date.now() - start < timeout) {
    s = await state(page);
    if (check(s)) return s;
    await page.waitForTimeout(100);
  }
  assert.fail(`${what}: still ${JSON.stringify(s)} after ${timeout} ms`);
}

for (const host of ["verbatim serve", "a static server without byte ranges"]) {
  describe(`on ${host}`, () => {
    let server;
    before(async () => {
      server = host === "verbatim serve" ? await verbatimServe() : await serve(SITE);
    });
    after(async () => server?.close());

    async function open(url) {
      const tab = await openTab(browser, server.url.replace(/\/$/, ""));
      await tab.page.goto(server.url + url);
      return tab;
    }
    async function done(tab) {
      await tab.context.close();
      assert.deepEqual(tab.problems.console, [], "console errors");
      assert.deepEqual(tab.problems.foreign, [], "requests to other hosts");
    }

    test("a time link plays from its time and marks the turn spoken", async () => {
      const tab = await open(T + "arriving/");
      const { page } = tab;
      await page.click("#t4 a.time");
      const s = await until(page, "after clicking 00:00:31", (s) => !s.paused && s.time >= 31 && s.marked === "t4");
      assert.ok(s.time < 35, `plays from 31 s, not from ${s.time}`);
      assert.equal(await page.getAttribute("#t4 a.time", "aria-label"), "00:00:31, play from 31 seconds");
      await done(tab);
    });

    test("playback is followed turn by turn, and 'Follow' returns after scrolling away", async () => {
      const tab = await open(T + "full/");
      const { page } = tab;
      await page.setViewportSize({ width: 800, height: 500 });
      await page.click("#t1 a.time");
      await until(page, "playing t1", (s) => !s.paused && s.marked === "t1");
      await page.evaluate(() => (document.querySelector(".player audio").playbackRate = 8));
      const later = await until(page, "following to t7", (s) => ["t7", "t8", "t9"].includes(s.marked));
      await page.waitForTimeout(900);
      assert.ok((await state(page)).shown, `the spoken turn ${later.marked} is scrolled into view`);
      assert.equal(await page.isVisible(".player .follow"), false);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(300);
      await page.evaluate(() => window.scrollBy(0, 1));
      await page.waitForSelector(".player .follow", { state: "visible", timeout: 5000 });
      await page.click(".player .follow");
      await page.waitForTimeout(900);
      assert.ok((await state(page)).shown, "Follow brings the spoken turn back into view");
      await done(tab);
    });

    test("'Cite' shows a turn's citation: its fragment, its key and its stretch of the recording", async () => {
      const tab = await open(T + "arriving/");
      const { page } = tab;
      assert.equal(await page.locator(".turn .cite-turn").count(), 6, "one button per turn");
      await page.click("#t4 .cite-turn");
      assert.equal(await page.getAttribute("#t4 .cite-turn", "aria-expanded"), "true");
      const cite = await page.evaluate(() => {
        const box = document.getElementById("t4-cite");
        return {
          styles: [...box.querySelectorAll(".cite-styles dd")].map((d) => d.textContent),
          csl: JSON.parse(box.querySelector(".cite-csl").textContent),
          ris: box.querySelector(".cite-ris").textContent,
          ids: box.querySelectorAll("[id]").length,
          section: [...document.querySelectorAll(".cite > .cite-styles dd")].map((d) => d.textContent),
          sectionUrl: document.querySelector(".cite").getAttribute("data-url"),
        };
      });
      // The site's address, or serve's own when it previews.
      assert.match(cite.sectionUrl, /^http:\/\/127\.0\.0\.1(:\d+)?\/harbour-keeper\/arriving\/$/);
      const url = cite.sectionUrl + "#t4";
      assert.equal(cite.styles.length, 3);
      for (const text of cite.styles) {
        assert.ok(text.includes(url), text);
        assert.ok(text.includes("00:00:31–00:00:45"), text);
        assert.ok(!text.includes("00:00:02–00:01:02"), text);
      }
      assert.equal(cite.csl.URL, url);
      assert.equal(cite.csl.id, "harbour-keeper-arriving-t4");
      assert.equal(cite.csl.note, "Recording 00:00:31–00:00:45");
      assert.equal(cite.csl.section, "Arriving");
      assert.match(cite.ris, /^ID {2}- harbour-keeper-arriving-t4$/m);
      assert.equal(cite.ids, 0, "the copy repeats no id of the page");
      // The section's own citation is left as it was.
      assert.ok(cite.section.every((t) => t.includes("00:00:02–00:01:02") && !t.includes("#t4")), cite.section.join("\n"));
      await page.click("#t4 .cite-turn");
      assert.equal(await page.locator("#t4-cite").count(), 0, "a second click closes it");
      await done(tab);
    });

    test("a deep link to a turn cues the player at that turn", async () => {
      const tab = await open(T + "arriving/#t5");
      const s = await until(tab.page, "cued at t5", (s) => Math.abs(s.time - 45) < 0.5);
      assert.equal(s.paused, true, "cued, not playing");
      assert.equal(s.marked, "t5");
      await done(tab);
    });

    test("a time link opens the section page that holds the time, at the turn spoken then", async () => {
      const tab = await open(T + "arriving/?t=1:15");
      const { page } = tab;
      await page.waitForURL(/staying\/#t=75$/);
      const s = await until(page, "cued at 75 s", (s) => Math.abs(s.time - 75) < 0.5);
      assert.equal(s.marked, "t8", "t8 starts at 70 s, t9 at 85 s");
      assert.ok(s.shown, "the turn is in view");
      await done(tab);
    });

    test("the recording resumes on the transcript's next page", async () => {
      const tab = await open(T + "arriving/");
      const { page } = tab;
      await page.click("#t6 a.time");
      await until(page, "playing t6", (s) => !s.paused && s.time >= 50);
      await page.click(".pager a[rel=next]");
      await page.waitForURL(/staying\/$/);
      const s = await until(page, "resumed past 50 s", (s) => !s.paused && s.time >= 50);
      assert.ok(s.time < 62, `resumed where it was, not at ${s.time}`);
      await page.evaluate(() => (document.querySelector(".player audio").currentTime = 63));
      await until(page, "t7 marked on the new page", (s) => s.marked === "t7");
      await done(tab);
    });

    test("the captions track holds every cue of the WebVTT file", async () => {
      const vtt = fs.readFileSync(path.join(SITE, T, "transcript.vtt"), "utf8");
      const expected = vtt.split("\n").filter((l) => l.includes(" --> ")).length;
      assert.ok(expected >= 12, `the fixture has ${expected} cues`);
      const tab = await open(T + "arriving/");
      const { page } = tab;
      const cues = await page.evaluate(async () => {
        const track = document.querySelector(".player track");
        if (track.readyState !== 2) await new Promise((r) => track.addEventListener("load", r));
        const list = track.track.cues;
        return { n: list.length, first: list[0].text, last: list[list.length - 1].endTime };
      });
      assert.equal(cues.n, expected);
      assert.match(cues.first, /^<v Mara Lind>When did you first come/);
      assert.equal(cues.last, 120, "the last cue ends with the recording");
      await done(tab);
    });

    test("'Copy link at' copies the page's address with the current time", async () => {
      const tab = await open(T + "arriving/#t4");
      const { page } = tab;
      await until(page, "cued at t4", (s) => Math.abs(s.time - 31) < 0.5);
      await page.waitForFunction(() => /at 00:00:31$/.test(document.querySelector(".copy-time").textContent));
      await page.click(".copy-time");
      // The clipboard answers asynchronously; the status line says when.
      await page.waitForFunction(() => document.querySelector('[role="status"]').textContent !== "");
      const said = await page.textContent('[role="status"]');
      assert.match(said, /^(Link copied: .*arriving\/#t=31|Copy the address from the address bar\.)$/);
      await done(tab);
    });
  });
}

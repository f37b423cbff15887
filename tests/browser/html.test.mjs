// Every page of both built sites passes the Nu HTML checker with no errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { LANGUAGES_SITE, RECORDED_SITE, SITE, SUBPATH_SITE } from "./sites.mjs";
import { htmlFiles } from "./lib.mjs";

// The package exports the path of vnu.jar.
const vnu = createRequire(import.meta.url)("vnu-jar");

const sites = [["site", SITE, 10], ["subpath site", SUBPATH_SITE, 10], ["recorded site", RECORDED_SITE, 8], ["languages site", LANGUAGES_SITE, 12]];
for (const [name, dir, least] of sites) {
  test(`every page of the ${name} passes the Nu HTML checker`, () => {
    const files = htmlFiles(dir).map((f) => path.join(dir, f));
    assert.ok(files.length > least, `expected pages, found ${files.length}`);
    let report;
    try {
      execFileSync("java", ["-jar", vnu, "--errors-only", "--format", "json", ...files], {
        stdio: ["ignore", "pipe", "pipe"],
        maxBuffer: 64 * 1024 * 1024,
      });
      report = { messages: [] };
    } catch (e) {
      // vnu exits 1 when it reports errors; its JSON report is on stderr.
      report = JSON.parse(e.stderr.toString());
    }
    const errors = report.messages
      .filter((m) => m.type === "error" || m.subType === "fatal")
      .map((m) => `${path.relative(dir, new URL(m.url).pathname)}:${m.lastLine}: ${m.message}`);
    assert.deepEqual(errors, [], `${errors.length} HTML errors:\n${errors.join("\n")}`);
  });
}

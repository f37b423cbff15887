// Recall and precision of verbatim's search against Pagefind's on the same
// pages (scripts/search-quality.sh builds both and runs this):
//
//   node tests/browser/search-quality.mjs VERBATIM_OUT PAGEFIND_OUT QUERIES.json
//
// VERBATIM_OUT is a site verbatim built with search; PAGEFIND_OUT a copy of
// it that Pagefind indexed (its exchanges marked `data-pagefind-body`, so
// both index the spoken words and neither the pages' furniture). A query's
// truth is the section pages whose turns (api/<slug>.json) match all its
// patterns; each engine's answer is the section pages of its results:
// verbatim's exchanges (its script, under node, every result), Pagefind's
// pages (searched in the browser on a page of the query's language, since
// Pagefind keeps an index per language).
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { launch } from "./lib.mjs";
import { serve } from "./serve.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const [verbatimOut, pagefindOut, queriesPath] = process.argv.slice(2);
const { queries } = JSON.parse(fs.readFileSync(queriesPath, "utf8"));

// Each section page's spoken text, from the API.
const sections = new Map();
for (const file of fs.readdirSync(path.join(verbatimOut, "api"))) {
  if (file === "index.json" || file === "transcripts.json") continue;
  const t = JSON.parse(fs.readFileSync(path.join(verbatimOut, "api", file), "utf8"));
  for (const s of t.sections) {
    const turns = s.exchanges.flatMap((e) => [e.question, ...e.answers].filter(Boolean));
    sections.set(`${t.slug}/${s.slug}/`, { lang: t.language, text: turns.map((x) => x.text).join("\n") });
  }
}
const truthOf = (q) => new Set([...sections].filter(([, s]) => q.truth.every((p) => new RegExp(p, "iu").test(s.text))).map(([url]) => url));
const sectionOf = (url) => {
  const m = url.replace(/^\/+/, "").replace(/[?#].*$/, "").replace(/index\.html$/, "").match(/^([^/]+\/[^/]+\/)$/);
  return m && sections.has(m[1]) ? m[1] : null;
};

// verbatim: every result of the query, through the script readers run.
const requests = queries.map((q) => ({ query: q.q }));
const answers = JSON.parse(execFileSync("node", [
  path.join(repo, "tests/search-format/read-index.cjs"),
  path.join(repo, "static/verbatim-search.js"),
  path.join(verbatimOut, "search/data"),
], { input: JSON.stringify(requests) }).toString());
const ids = [...new Set(answers.flatMap((a) => a.ids))];
const docs = JSON.parse(execFileSync("node", [
  path.join(repo, "tests/search-format/read-index.cjs"),
  path.join(repo, "static/verbatim-search.js"),
  path.join(verbatimOut, "search/data"),
], { input: JSON.stringify([{ docs: ids }]) }).toString())[0];
const docOf = new Map(ids.map((id, k) => [id, docs[k]]));
const verbatimFound = answers.map((a) => new Set(a.ids.map((id) => sectionOf(docOf.get(id).u)).filter(Boolean)));

// Pagefind: in the browser, on a section page of the query's language.
const server = await serve(pagefindOut);
const browser = await launch();
const page = await (await browser.newContext()).newPage();
const pagefindFound = [];
for (const q of queries) {
  const home = [...sections].find(([, s]) => s.lang.split("-")[0] === q.lang)[0];
  await page.goto(server.url + home);
  const urls = await page.evaluate(async (query) => {
    const pf = await import("/pagefind/pagefind.js");
    await pf.init();
    const r = await pf.search(query);
    return Promise.all(r.results.map((x) => x.data().then((d) => d.url)));
  }, q.q);
  pagefindFound.push(new Set(urls.map(sectionOf).filter(Boolean)));
}
await browser.close();
await server.close();

const rows = [];
const totals = {};
queries.forEach((q, i) => {
  const truth = truthOf(q);
  const measure = (found) => {
    const hit = [...found].filter((u) => truth.has(u)).length;
    return { recall: truth.size ? hit / truth.size : 1, precision: found.size ? hit / found.size : (truth.size ? 0 : 1), found: found.size };
  };
  const v = measure(verbatimFound[i]), p = measure(pagefindFound[i]);
  rows.push(`| ${q.lang} | \`${q.q}\` | ${truth.size} | ${v.found} | ${v.recall.toFixed(2)} | ${v.precision.toFixed(2)} | ${p.found} | ${p.recall.toFixed(2)} | ${p.precision.toFixed(2)} |`);
  const t = (totals[q.lang] ||= { n: 0, vr: 0, vp: 0, pr: 0, pp: 0 });
  t.n++; t.vr += v.recall; t.vp += v.precision; t.pr += p.recall; t.pp += p.precision;
});
console.log("| language | query | relevant sections | verbatim found | recall | precision | Pagefind found | recall | precision |");
console.log("|---|---|---|---|---|---|---|---|---|");
rows.forEach((r) => console.log(r));
console.log("");
console.log("| language | queries | verbatim recall | verbatim precision | Pagefind recall | Pagefind precision |");
console.log("|---|---|---|---|---|---|");
for (const [lang, t] of Object.entries(totals)) {
  console.log(`| ${lang} | ${t.n} | ${(t.vr / t.n).toFixed(2)} | ${(t.vp / t.n).toFixed(2)} | ${(t.pr / t.n).toFixed(2)} | ${(t.pp / t.n).toFixed(2)} |`);
}
process.exit(0);

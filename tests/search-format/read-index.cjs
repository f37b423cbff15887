// Reads a built search index through the script readers run
// (static/verbatim-search.js), under node, for tests/search.rs: the index is
// decoded in one place only, the script. Arguments: the script, the index
// folder (search/data/); on stdin a JSON list of requests, each one of
//   {"term": w} (an index term: a stem) {"word": w} (a query's word: its
//   stems' exchanges) {"pair": "w1 w2"} {"filter": [kind, value]}
//   {"docs": [ids]} {"json": "file.bin"}
//   {"query": text, "filters": {kind: value}, "all": bool, "typing": bool}
//   {"place": [doc, query]} (the turn a result links, the words it marks)
// It prints a JSON list of the answers, in the same order.
"use strict";
const fs = require("fs");
const path = require("path");
const [scriptPath, dataDir] = process.argv.slice(2);
const s = require(scriptPath);
s.readFrom((file) => fs.promises.readFile(path.join(dataDir, file)));
const requests = JSON.parse(fs.readFileSync(0, "utf8"));
const list = (ids) => Array.from(ids);
(async () => {
  const m = await s.loadStemmers(await s.loadMeta());
  const answers = [];
  for (const r of requests) {
    if ("term" in r) answers.push(list(await s.loadTerm(m, r.term, false)));
    else if ("word" in r) answers.push(list(await s.loadWord(m, r.word)));
    else if ("place" in r) answers.push(s.placeOf(r.place[0], r.place[1]));
    else if ("pair" in r) answers.push(list(await s.loadTerm(m, r.pair, true)));
    else if ("filter" in r) answers.push(list(await s.loadFilter(r.filter[0], r.filter[1])));
    else if ("docs" in r) answers.push(await s.loadDocs(m, r.docs));
    else if ("json" in r) answers.push(await s.fetchJson(r.json));
    else if ("query" in r) {
      const found = await s.run(r.query, r.filters || {}, !!r.all, !!r.typing);
      answers.push({ ids: found.ids, phrase: !!found.phrase });
    } else throw new Error("unknown request " + JSON.stringify(r));
  }
  process.stdout.write(JSON.stringify(answers));
})().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });

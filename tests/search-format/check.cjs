// The search index format's test vectors (vectors.json), checked against
// the script readers run (static/verbatim-search.js), under node. Run by
// tests/search_format.rs; prints one line per failure and exits 1 if any.
"use strict";
const fs = require("fs");
const path = require("path");
const [vectorsPath, scriptPath, stemmersDir] = process.argv.slice(2);
const v = JSON.parse(fs.readFileSync(vectorsPath, "utf8"));
const s = require(scriptPath);
const failures = [];
const same = (what, got, want) => {
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    failures.push(`${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
};
const bytes = (hex) => Uint8Array.from(hex.match(/../g) || [], (b) => parseInt(b, 16));
let checked = 0;
for (const [text, want] of v.terms) { same(`terms(${JSON.stringify(text)})`, s.terms(text), want); checked++; }
for (const [text, want] of v.hash) { same(`fnv(${JSON.stringify(text)})`, s.hex(s.fnv(text)), want); checked++; }
for (const [key, buckets, want] of v.bucket_of) { same(`bucketOf(${key}, ${buckets})`, s.bucketOf(key, buckets), want); checked++; }
for (const [n, hex] of v.varint) { same(`varint ${hex}`, new s.Reader(bytes(hex)).varint(), n); checked++; }
for (const { ids, k, bytes: hex } of v.rice) {
  same(`rice k=${k} ${hex}`, Array.from(s.rice(bytes(hex), 0, ids.length, k)), ids); checked++;
}
if (!v.weights.length || !v.impacts.length) failures.push("no weights or impacts vectors");
// A weight's level is the one whose weight is nearest (on the geometric
// scale the levels are spaced by).
for (const [tf, length, avg, level] of v.weights) {
  const w = s.weight(tf, length, avg);
  const distance = (n) => Math.abs(Math.log(w / s.levelWeight(n)));
  const nearest = [...Array(16).keys()].reduce((a, b) => (distance(b) < distance(a) ? b : a));
  same(`level of weight(${tf}, ${length}, ${avg})`, nearest, level); checked++;
}
for (const { levels, bytes: hex } of v.impacts) {
  const r = new s.Reader(bytes(hex));
  same(`levels ${hex}`, Array.from(s.readLevels(r, levels.length, true)), levels);
  same(`levels ${hex} read to the end`, r.i, hex.length / 2); checked++;
}
// Each algorithm's script, as the build writes it (src/search/stem.rs).
for (const [name, pairs] of v.stems) {
  const stem = require(path.join(stemmersDir, `stem-${name}.js`));
  for (const [word, want] of pairs) { same(`${name} stem(${word})`, stem(word), want); checked++; }
}
if (checked < 20) failures.push(`only ${checked} vectors checked`);
if (failures.length) { console.log(failures.join("\n")); process.exit(1); }
console.log(`${checked} vectors agree`);

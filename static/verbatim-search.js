// verbatim search: runs in the browser over the static index in search/data/
// (written by src/search/; the format is in docs/search.md). It fetches
// only what a query needs: the files of its words, one at a time, rarest
// first, until few exchanges are left, then the text of the results it shows.
// It requests nothing from any host but the site's own.
(function () {
  "use strict";
  var node = typeof module === "object" && typeof document === "undefined";
  // The page's words, from the theme script (static/verbatim.js).
  var word = (typeof window === "object" && window.verbatimWord) || function (key) { return key; };

  // Below this many candidates, the texts are fetched and checked instead
  // of the remaining words' files, and results are ranked by relevance.
  var VERIFY_LIMIT = 40;
  var PAGE = 10;
  // BM25's parameters, as most engines set them, and the levels its weights
  // are stored as (src/search/codec.rs `weight`, `level`).
  var K1 = 1.2, B = 0.75, LEVELS = 16, LOWEST_WEIGHT = 0.2;
  // BM25's weight of a term `tf` times in an exchange of `length` words,
  // the average being `avg`: multiplied by the term's rarity, its score.
  function weight(tf, length, avg) {
    return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / Math.max(avg, 1)));
  }
  function levelWeight(n) {
    return LOWEST_WEIGHT * Math.pow((K1 + 1) / LOWEST_WEIGHT, n / (LEVELS - 1));
  }
  // How many exchanges hold each word of the current query (`frequency`).
  var df = {};

  // --- Words: exactly as src/search/tokenizer.rs `terms` splits them -----------------
  // Runs of letters and digits; a Han or kana character (Chinese and
  // Japanese write no spaces between words) is a term of its own.
  var BY_CHARACTER = "\\u3040-\\u30FF\\u31F0-\\u31FF\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF\\uFF66-\\uFF9D\\u{20000}-\\u{3134F}";
  function termPattern(letters) {
    return new RegExp("(?=[" + letters + "])[" + BY_CHARACTER + "]|(?:(?![" + BY_CHARACTER + "])[" + letters + "])+", "gu");
  }
  var TERM = termPattern("\\p{Alphabetic}\\p{N}");
  var TERM_BY_CHARACTER = new RegExp("[" + BY_CHARACTER + "]", "u");
  // The same in text as written (accents are marks), for marking words.
  var SPAN = termPattern("\\p{Alphabetic}\\p{M}\\p{N}");
  function fold(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  }
  function terms(text) {
    return fold(text).match(TERM) || [];
  }

  // --- Stems: a term stands for its stem by each Snowball algorithm of the
  // site's languages (meta.bin `stem`), as src/search/stem.rs `terms` --------
  var stemmers = [];
  var stemming = null;
  // The algorithms' scripts, loaded once: fetched as gzip like the index
  // (search/data/stem-<name>.bin, a fifth of the text's bytes) and run from
  // a blob: URL; where the page's policy refuses that, the text itself
  // (stem-<name>.js).
  var loadScript = function (name) {
    function run(src) {
      return new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = src;
        s.onload = function () { resolve(window.verbatimStemmers[name]); };
        s.onerror = function () { reject(new Error("cannot load the " + name + " stemmer")); };
        document.head.appendChild(s);
      });
    }
    var text = function () { return run(data + "stem-" + name + ".js"); };
    return packedStemmer(name).then(function (bytes) {
      var url = URL.createObjectURL(new Blob([bytes], { type: "text/javascript" }));
      return run(url).finally(function () { URL.revokeObjectURL(url); });
    }).then(function (stem) { return stem || text(); }, text);
  };
  // An algorithm's script as gzip (src/search/stem.rs `packed_path`).
  function packedStemmer(name) { return fetchBytes("stem-" + name + ".bin"); }
  function loadStemmers(m) {
    if (!stemming) stemming = Promise.all((m.stem || []).map(function (name) { return loadScript(name); }))
      .then(function (found) { stemmers = found; return m; });
    return stemming;
  }
  // The index's terms for a folded word: its stems, each once.
  function keys(term) {
    if (stemmers.length === 0) return [term];
    var out = [];
    stemmers.forEach(function (stem) {
      var k = stem(term);
      if (out.indexOf(k) < 0) out.push(k);
    });
    return out;
  }

  // --- Files ----------------------------------------------------------------
  var cache = {};
  // Where the files come from: the site's search/data/ over HTTP, or under
  // node a folder the test names (readFrom below).
  var load = function (path) {
    return fetch(data + path).then(function (r) {
      if (!r.ok) throw new Error("cannot load " + path + " (" + r.status + ")");
      return r.arrayBuffer();
    });
  };
  function fetchBytes(path) {
    if (!cache[path]) cache[path] = load(path).then(inflate);
    return cache[path];
  }
  // Files are gzip; a host may already have inflated them.
  function inflate(buffer) {
    var bytes = new Uint8Array(buffer);
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return Promise.resolve(bytes);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }
  function fetchJson(path) {
    return fetchBytes(path).then(function (b) { return JSON.parse(new TextDecoder().decode(b)); });
  }

  // 64-bit FNV-1a, as src/search/codec.rs `hash`.
  var encoder = new TextEncoder();
  function fnv(text) {
    var h = 0xcbf29ce484222325n;
    var bytes = encoder.encode(text);
    for (var i = 0; i < bytes.length; i++) {
      h = ((h ^ BigInt(bytes[i])) * 0x100000001b3n) & 0xffffffffffffffffn;
    }
    return h;
  }
  function hex(h) { return h.toString(16).padStart(16, "0"); }

  function Reader(bytes) { this.b = bytes; this.i = 0; }
  Reader.prototype.varint = function () {
    var n = 0, shift = 0, byte;
    do {
      byte = this.b[this.i++];
      n += (byte & 0x7f) * Math.pow(2, shift);
      shift += 7;
    } while (byte & 0x80);
    return n;
  };

  var meta = null;
  function loadMeta() {
    if (!meta) meta = fetchJson("meta.bin").then(function (m) {
      if (m.version !== 4) throw new Error("the search index has another format; rebuild the site");
      return m;
    });
    return meta;
  }

  function has(map, key) { return Object.prototype.hasOwnProperty.call(map, key); }

  // A file of named entries (src/search/mod.rs `term_file`, `transcript_file`):
  // their count, then for each its name's UTF-8 length and bytes and what
  // `read(r, found)` reads of the rest. The value `read` gives for the entry
  // named `name`, or an empty list.
  function findEntry(bytes, name, read) {
    var r = new Reader(bytes), decoder = new TextDecoder();
    for (var count = r.varint(), k = 0; k < count; k++) {
      var len = r.varint();
      var found = decoder.decode(bytes.subarray(r.i, r.i + len)) === name;
      r.i += len;
      var value = read(r, found);
      if (found) return value;
    }
    return new Uint32Array(0);
  }

  // The bucket file of `key` among `buckets`, as src/search/codec.rs `bucket_of`.
  function bucketOf(key, buckets) { return Number(fnv(key) % BigInt(buckets)); }

  // Ascending ids of the exchanges containing `term` (a word, or with `pair`
  // two adjacent words joined by a space), or an empty list.
  function loadTerm(m, term, pair) {
    var own = pair ? m.pair_own : m.own;
    var path = has(own, term)
      ? (pair ? "p/" : "t/") + hex(fnv(term)) + ".bin"
      : (pair ? "pb/" : "b/") + bucketOf(term, pair ? m.pair_buckets : m.buckets) + ".bin";
    return fetchBytes(path).then(function (bytes) {
      return findEntry(bytes, term, function (r, found) {
        var df = r.varint(), riceK = r.varint(), size = r.varint();
        var ids = found ? rice(bytes, r.i, df, riceK) : null;
        r.i += size;
        var levels = readLevels(r, df, found);
        if (found) return weighted(ids, levels.map(levelWeight));
      });
    }).then(function (ids) { return ids.w ? ids : weighted(ids, []); });
  }

  // A list's weights, as src/search/codec.rs `impacts` writes them after its
  // ids: the `count` exchanges' levels (read only when `wanted`).
  function readLevels(r, count, wanted) {
    var n = r.varint(), order = r.b.subarray(r.i, r.i + n);
    r.i += n;
    if (n < 2) return wanted ? new Array(count).fill(order[0]) : null;
    var k = r.varint(), size = r.varint();
    var places = wanted ? riceValues(r.b, r.i, count, k) : null;
    r.i += size;
    return wanted ? Array.from(places, function (p) { return order[p]; }) : null;
  }

  // A list of ids with their weights beside them (`w`), which union and
  // intersect carry; a filter's list has none.
  function weighted(ids, w) { ids.w = Float32Array.from(w); return ids; }

  // Golomb-Rice codes of numbers, as src/search/codec.rs `rice_of_gaps`
  // writes them.
  function riceValues(bytes, start, count, k) {
    var values = new Uint32Array(count), pos = start * 8, scale = Math.pow(2, k);
    function bit() { var b = (bytes[pos >> 3] >> (7 - (pos & 7))) & 1; pos++; return b; }
    for (var j = 0; j < count; j++) {
      var q = 0, low = 0;
      while (bit()) q++;
      for (var i = 0; i < k; i++) low = low * 2 + bit();
      values[j] = q * scale + low;
    }
    return values;
  }
  // Ascending ids from their coded gaps (`rice`).
  function rice(bytes, start, count, k) {
    var ids = riceValues(bytes, start, count, k), prev = -1;
    for (var j = 0; j < count; j++) { prev += 1 + ids[j]; ids[j] = prev; }
    return ids;
  }

  // A transcript's exchanges are one run, kept with those of other
  // transcripts in the bucket of its slug.
  function loadTranscriptRun(slug) {
    return loadMeta().then(function (m) {
      return fetchBytes("tb/" + bucketOf(slug, m.transcript_buckets) + ".bin");
    }).then(function (bytes) {
      return findEntry(bytes, slug, function (r, found) {
        var start = r.varint(), n = r.varint();
        if (!found) return;
        var ids = new Uint32Array(n);
        for (var j = 0; j < n; j++) ids[j] = start + j;
        return ids;
      });
    }, function () { return new Uint32Array(0); });
  }

  function loadFilter(kind, value) {
    if (kind === "transcript") return loadTranscriptRun(value);
    return fetchBytes("f/" + hex(fnv(kind + "\u0000" + value)) + ".bin").then(function (bytes) {
      var r = new Reader(bytes);
      var runs = r.varint(), out = [], end = 0;
      for (var k = 0; k < runs; k++) {
        var start = end + r.varint(), len = r.varint();
        for (var id = start; id < start + len; id++) out.push(id);
        end = start + len;
      }
      return Uint32Array.from(out);
    }, function () { return new Uint32Array(0); });
  }

  // While a reader types, the last word also stands for the site's words it
  // starts (src/search/files.rs `prefix_files`): the PREFIX_TERMS most
  // common, so a short start does not fetch half the index. They are words
  // as written (folded), whose stems the word lists are under and which the
  // pairs of a phrase are made of.
  var PREFIX_TERMS = 8;
  var expansions = {};
  function expand(m, term) {
    var chars = Array.from(term);
    if (chars.length < m.prefix_chars || TERM_BY_CHARACTER.test(term)) return Promise.resolve([]);
    var prefix = chars.slice(0, m.prefix_chars).join("");
    return fetchJson("x/" + bucketOf(prefix, m.prefix_buckets) + ".bin").then(function (bucket) {
      var found = (has(bucket, prefix) ? bucket[prefix] : []).filter(function (e) {
        return e[0].indexOf(term) === 0 && e[0] !== term;
      });
      return found.slice(0, PREFIX_TERMS).map(function (e) { return e[0]; });
    });
  }

  // The exchanges of a query's word: those of any of its stems (and, for a
  // word being typed, of the words it starts).
  // The index's terms of a query's word: its stems, and those of the words
  // it starts while it is typed.
  function wordKeys(term) {
    var out = keys(term);
    (expansions[term] || []).forEach(function (w) {
      keys(w).forEach(function (k) { if (out.indexOf(k) < 0) out.push(k); });
    });
    return out;
  }
  function loadWord(m, term) {
    var ks = wordKeys(term);
    return Promise.all(ks.map(function (k) { return loadTerm(m, k, false); })).then(function (lists) {
      return lists.reduce(union);
    });
  }

  // The exchanges of any of the pairs `alternatives`.
  function loadPairs(m, alternatives) {
    return Promise.all(alternatives.map(function (p) { return loadTerm(m, p, true); })).then(function (lists) {
      return lists.reduce(union);
    });
  }

  // The ids of either list; an id in both weighs as in the heavier (the
  // lists are of one query word: its stems, or the words it starts).
  function union(a, b) {
    var out = [], w = [], i = 0, j = 0;
    var wa = function (k) { return a.w ? a.w[k] : 0; }, wb = function (k) { return b.w ? b.w[k] : 0; };
    while (i < a.length || j < b.length) {
      if (j >= b.length || (i < a.length && a[i] < b[j])) { w.push(wa(i)); out.push(a[i++]); }
      else if (i >= a.length || b[j] < a[i]) { w.push(wb(j)); out.push(b[j++]); }
      else { w.push(Math.max(wa(i), wb(j))); out.push(a[i]); i++; j++; }
    }
    return weighted(Uint32Array.from(out), w);
  }

  // The ids of both lists; an id's weights add up (the lists are of
  // different words).
  function intersect(a, b) {
    var out = [], w = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] < b[j]) i++;
      else if (a[i] > b[j]) j++;
      else { w.push((a.w ? a.w[i] : 0) + (b.w ? b.w[j] : 0)); out.push(a[i]); i++; j++; }
    }
    return weighted(Uint32Array.from(out), w);
  }

  // BM25's rarity of a term that `n` of the site's exchanges hold.
  function idf(m, n) { return Math.log(1 + (m.docs - n + 0.5) / (n + 0.5)); }

  function loadDocs(m, ids) {
    return Promise.all(ids.map(function (id) {
      return fetchJson("r/" + Math.floor(id / m.chunk) + ".bin").then(function (chunk) {
        return chunk[id % m.chunk];
      });
    }));
  }

  // Under node (tests/search_format.rs and tests/search.rs, in cargo test)
  // the script hands its reader of the index to the test and touches no
  // page: the tests read a built index only through it.
  if (node) {
    module.exports = {
      fold: fold, terms: terms, fnv: fnv, hex: hex, Reader: Reader, rice: rice,
      weight: weight, levelWeight: levelWeight, readLevels: readLevels,
      bucketOf: bucketOf, findEntry: findEntry, intersect: intersect, union: union, keys: keys,
      loadWord: loadWord, loadStemmers: loadStemmers,
      placeOf: function (doc, query) { return place(doc, stemSet(terms(query)), terms(query)); },
      expansions: function () { return expansions; },
      // The stemmers' scripts are read through `read` too, and run as node
      // modules.
      readFrom: function (read) {
        load = read; cache = {}; meta = null; stemming = null; stemmers = [];
        loadScript = function (name) {
          return packedStemmer(name).then(function (bytes) {
            var module = { exports: null };
            new Function("module", "window", new TextDecoder().decode(bytes))(module, undefined);
            return module.exports;
          });
        };
      },
      fetchJson: fetchJson, loadMeta: loadMeta, loadTerm: loadTerm,
      loadFilter: loadFilter, loadDocs: loadDocs, run: run
    };
    return;
  }

  var form = document.getElementById("search-form");
  if (!form) return;
  var root = form.getAttribute("data-root") || "";
  var data = root + "search/data/";
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var selects = {
    speaker: document.getElementById("search-speaker"),
    transcript: document.getElementById("search-transcript"),
    tag: document.getElementById("search-tag")
  };

  // Browsers do not let a page opened from disk fetch files: say so instead
  // of failing.
  if (location.protocol === "file:") {
    status.textContent = word("search_needs_http");
    return;
  }

  // --- The query ----------------------------------------------------------
  // Fetches the lists of `keys` (rarest first) and intersects them with
  // `start` (null: every exchange), stopping once VERIFY_LIMIT or fewer are
  // left; resolves to { ids, unchecked: the keys not fetched }.
  function narrow(m, start, wanted, pair) {
    var own = pair ? m.pair_own : m.own;
    // A word's count is its most common stem's.
    // A key's count is its most common term's: a word's stems, a pair's
    // alternatives (the last pair of a phrase being typed).
    var count = function (k) {
      var all = pair ? [].concat(k) : wordKeys(k);
      return Math.max.apply(null, all.map(function (s) { return has(own, s) ? own[s] : 0; }));
    };
    wanted = wanted.slice().sort(function (a, b) { return count(a) - count(b) || b.length - a.length; });
    var candidates = start, unchecked = [], steps = Promise.resolve();
    wanted.forEach(function (key) {
      steps = steps.then(function () {
        if (candidates && candidates.length <= VERIFY_LIMIT) { unchecked.push(key); return; }
        return (pair ? loadPairs(m, [].concat(key)) : loadWord(m, key)).then(function (ids) {
          if (!pair) df[key] = ids.length;
          // Weights become scores: times the term's rarity.
          var rarity = idf(m, ids.length);
          ids = weighted(ids, Array.from(ids.w, function (x) { return x * rarity; }));
          candidates = candidates ? intersect(candidates, ids) : ids;
        });
      });
    });
    return steps.then(function () { return { ids: candidates, unchecked: unchecked }; });
  }

  // Resolves to { ids: ranked ids, docs: {id: doc} already loaded, phrase:
  // true when these are the exchanges that hold the words as a phrase }.
  // Unless `all`, a query of several words looks for the phrase first, from
  // the lists of its adjacent pairs, and for all the words only if the phrase
  // is nowhere.
  // With `typing`, the last word is matched as the start of longer words
  // too, unless the query ends in a space.
  function run(query, filters, all, typing) {
    var sequence = terms(query);
    // The stemmers' scripts only for a query with words.
    return loadMeta().then(function (m) {
      return sequence.length ? loadStemmers(m) : m;
    }).then(function (m) {
      var words = Array.from(new Set(sequence));
      var base = null, steps = Promise.resolve();
      expansions = {};
      df = {};
      var last = sequence[sequence.length - 1];
      if (typing && last && !/\s$/.test(query)) {
        steps = steps.then(function () { return expand(m, last); }).then(function (more) {
          if (more.length) expansions[last] = more;
        });
      }
      Object.keys(filters).forEach(function (kind) {
        steps = steps.then(function () {
          return loadFilter(kind, filters[kind]).then(function (ids) {
            base = base ? intersect(base, ids) : ids;
          });
        });
      });
      var phrase = null;
      if (!all && sequence.length > 1) {
        steps = steps.then(function () {
          var pairs = [], n = sequence.length;
          for (var i = 1; i < n - 1; i++) pairs.push(sequence[i - 1] + " " + sequence[i]);
          // The last pair, or while its last word is typed, any of the
          // pairs it may become.
          var ends = [sequence[n - 1]].concat(expansions[sequence[n - 1]] || []);
          var lastPair = ends.map(function (w) { return sequence[n - 2] + " " + w; });
          var keysOfPairs = Array.from(new Set(pairs)).filter(function (p) { return lastPair.indexOf(p) < 0; });
          keysOfPairs.push(lastPair.length === 1 ? lastPair[0] : lastPair);
          return narrow(m, base, keysOfPairs, true);
        }).then(function (found) {
          var prefixed = !!expansions[sequence[sequence.length - 1]];
          return rank(m, found.ids, function (doc) {
            return containsPhrase(doc, sequence, prefixed) ? score(m, doc, words, [], sequence) : -1;
          }, found.ids.length <= VERIFY_LIMIT);
        }).then(function (result) {
          if (result.ids.length) { result.phrase = true; phrase = result; }
        });
      }
      return steps.then(function () {
        if (phrase) return phrase;
        return narrow(m, base, words, false).then(function (found) {
          if (words.length === 0) return { ids: Array.from(base || []), docs: {} };
          return rank(m, found.ids, function (doc) {
            return score(m, doc, words, found.unchecked, sequence);
          }, found.ids.length <= VERIFY_LIMIT);
        });
      });
    });
  }

  // With `check`, loads the candidates' records, drops those scored -1 and
  // sorts the rest, best first; else sorts them by the scores their lists'
  // weights add up to (`w`), without reading them; ties in site order.
  function rank(m, candidates, scoreOf, check) {
    var ids = Array.from(candidates || []);
    if (!check) {
      var w = candidates && candidates.w, order = ids.map(function (_, k) { return k; });
      if (w) order.sort(function (x, y) { return w[y] - w[x] || x - y; });
      return Promise.resolve({ ids: order.map(function (k) { return ids[k]; }), docs: {} });
    }
    return loadDocs(m, ids).then(function (docs) {
      var scored = [];
      docs.forEach(function (doc, k) {
        var s = scoreOf(doc);
        if (s >= 0) scored.push({ id: ids[k], doc: doc, score: s });
      });
      scored.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
      var loaded = {};
      scored.forEach(function (r) { loaded[r.id] = r.doc; });
      return { ids: scored.map(function (r) { return r.id; }), docs: loaded };
    });
  }

  // Whether the question or the answers hold the words as a phrase; with
  // `prefixed`, its last word may be the start of a longer one.
  function containsPhrase(doc, sequence, prefixed) {
    var phrase = " " + sequence.join(" ") + (prefixed ? "" : " ");
    return (" " + terms(doc.q).join(" ") + " ").indexOf(phrase) >= 0 ||
      (" " + terms(doc.a).join(" ") + " ").indexOf(phrase) >= 0;
  }

  // The stems of `words` (and the words a typed one starts), for matching
  // a text's words against them.
  function stemSet(words) {
    var set = new Set();
    words.forEach(function (w) { wordKeys(w).forEach(function (k) { set.add(k); }); });
    return set;
  }
  function matches(stems, term) {
    return keys(term).some(function (k) { return stems.has(k); });
  }

  // How many exchanges hold each word of the query, as its lists were
  // fetched; a word not fetched counts as its most common stem's own file
  // says, else as rare.
  function frequency(m, w) {
    if (has(df, w)) return df[w];
    return Math.max(1, Math.max.apply(null, keys(w).map(function (k) { return has(m.own, k) ? m.own[k] : 0; })));
  }

  // -1 if a word is missing; else BM25 (k1 1.2, b 0.75) over the query's
  // words, an exchange's length being its words, and 1000 more for the
  // exact phrase, which puts phrase matches first.
  function score(m, doc, words, unchecked, sequence) {
    var tokens = terms(doc.q + " " + doc.a);
    var present = stemSet(tokens);
    for (var i = 0; i < unchecked.length; i++) {
      var some = wordKeys(unchecked[i]);
      if (!some.some(function (k) { return present.has(k); })) return -1;
    }
    var length = tokens.length, s = 0;
    words.forEach(function (w) {
      var mine = stemSet([w]), tf = 0;
      tokens.forEach(function (t) { if (matches(mine, t)) tf += 1; });
      if (tf === 0) return;
      s += idf(m, frequency(m, w)) * weight(tf, length, m.avg_terms || 1);
    });
    if (sequence.length > 1) {
      var joined = " " + tokens.join(" ") + " ";
      if (joined.indexOf(" " + sequence.join(" ") + " ") >= 0) s += 1000;
    }
    return s;
  }

  // --- Showing results ------------------------------------------------------
  function escapeHtml(s) {
    return s.replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  // About `size` words of `text` around its first matching word, matches in
  // <mark>. `wanted` holds the query's stems.
  function excerpt(text, wanted, size) {
    var re = new RegExp(SPAN.source, "gu"), match, spans = [], first = -1;
    while ((match = re.exec(text))) {
      var hit = matches(wanted, fold(match[0]));
      if (hit && first < 0) first = spans.length;
      spans.push({ start: match.index, end: match.index + match[0].length, hit: hit });
    }
    if (spans.length === 0) return "";
    var from = Math.max(0, (first < 0 ? 0 : first) - Math.floor(size / 4));
    var to = Math.min(spans.length, from + size);
    var html = from > 0 ? "… " : "", pos = spans[from].start;
    for (var i = from; i < to; i++) {
      html += escapeHtml(text.slice(pos, spans[i].start));
      var word = escapeHtml(text.slice(spans[i].start, spans[i].end));
      html += spans[i].hit ? "<mark>" + word + "</mark>" : word;
      pos = spans[i].end;
    }
    if (to < spans.length) html += " …";
    else html += escapeHtml(text.slice(pos));
    return html;
  }

  function shorten(text, max) {
    text = text.replace(/\s+/g, " ").trim();
    if (text.length <= max) return text;
    var cut = text.slice(0, max);
    var space = cut.lastIndexOf(" ");
    return (space > max / 2 ? cut.slice(0, space) : cut) + "…";
  }

  // Where a result's words are: the turn that holds the phrase, else the
  // one that holds most of the words (an answer before the question), as
  // `#t12`; the words as they are written there, for the page to mark; and
  // who says them.
  function place(doc, wanted, sequence) {
    // The answers' texts: `a` joins them with blank lines, and `p` says how
    // many blank lines are inside each (none when it is missing).
    var parts = doc.a ? doc.a.split("\n\n") : [], turns = [];
    for (var k = 0, at = 0; at < parts.length; k++) {
      var n = 1 + ((doc.p && doc.p[k]) || 0);
      turns.push({ turn: doc.n + (doc.q ? 1 : 0) + k, text: parts.slice(at, at + n).join("\n\n"), speaker: doc.s, question: false });
      at += n;
    }
    if (doc.q) turns.push({ turn: doc.n, text: doc.q, speaker: doc.k || doc.s, question: true });
    var best = null, bestScore = 0, phrase = " " + sequence.join(" ") + " ";
    turns.forEach(function (t) {
      var tokens = terms(t.text), have = new Set();
      tokens.forEach(function (x) { keys(x).forEach(function (key) { if (wanted.has(key)) have.add(key); }); });
      var score = have.size;
      if (sequence.length > 1 && (" " + tokens.join(" ") + " ").indexOf(phrase) >= 0) score += 1000;
      if (score > bestScore) { best = t; bestScore = score; }
    });
    if (!best) return { turn: null, words: [], speaker: doc.s, question: false };
    var re = new RegExp(SPAN.source, "gu"), match, words = [];
    while ((match = re.exec(best.text))) {
      if (matches(wanted, fold(match[0])) && words.indexOf(match[0]) < 0) words.push(match[0]);
    }
    return { turn: best.turn, words: words, speaker: best.speaker, question: best.question };
  }

  // The result's link: the turn that holds the words, which the page marks
  // (static/verbatim.js reads `mark`).
  function link(doc, at) {
    var page = doc.u.split("#")[0];
    if (at.turn === null || !doc.n) return root + doc.u;
    var mark = at.words.length ? "?mark=" + encodeURIComponent(at.words.join(" ")) : "";
    return root + page + mark + "#t" + at.turn;
  }

  function render(doc, wanted, sequence) {
    var li = document.createElement("li");
    li.className = "search-result";
    var title = doc.q ? shorten(doc.q, 180) : doc.c;
    var answer = excerpt(doc.a, wanted, 40);
    var at = place(doc, wanted, sequence);
    var inQuestion = doc.q && at.question && wanted.size > 0;
    li.innerHTML =
      '<h2><a href="' + escapeHtml(link(doc, at)) + '">' +
      (inQuestion ? excerpt(doc.q, wanted, 40) : escapeHtml(title)) + "</a></h2>" +
      '<p class="result-context"><span class="speaker">' + escapeHtml(at.speaker) + "</span> · " +
      escapeHtml(doc.t) + " › " + escapeHtml(doc.c) + "</p>" +
      '<p class="result-excerpt">' + answer + "</p>";
    return li;
  }

  // Offered when the results are the phrase's: every exchange with the words.
  var allWords = document.createElement("button");
  allWords.type = "button";
  allWords.id = "search-all";
  allWords.hidden = true;
  allWords.textContent = word("show_all_words");
  status.insertAdjacentElement("afterend", allWords);
  allWords.addEventListener("click", function () { search(true); });

  var current = null;
  function show(result, query, shown) {
    var wanted = stemSet(terms(query));
    var page = result.ids.slice(shown, shown + PAGE);
    var missing = page.filter(function (id) { return !result.docs[id]; });
    return loadMeta().then(function (m) { return loadDocs(m, missing); }).then(function (docs) {
      missing.forEach(function (id, k) { result.docs[id] = docs[k]; });
      page.forEach(function (id) { list.appendChild(render(result.docs[id], wanted, terms(query))); });
      var total = shown + page.length;
      more.hidden = total >= result.ids.length;
      more.onclick = function () { show(result, query, total); };
    });
  }

  function activeFilters() {
    var f = {};
    Object.keys(selects).forEach(function (k) { if (selects[k].value) f[k] = selects[k].value; });
    return f;
  }

  function search(all, typing) {
    var query = typing ? input.value.replace(/^\s+/, "") : input.value.trim();
    var filters = activeFilters();
    var token = current = {};
    list.innerHTML = "";
    more.hidden = true;
    allWords.hidden = true;
    if (!query && Object.keys(filters).length === 0) { status.textContent = ""; return; }
    status.textContent = word("searching");
    run(query, filters, all === true, typing === true).then(function (result) {
      if (token !== current) return;
      var n = result.ids.length;
      status.textContent = n === 0
        ? word(query ? "no_match_words" : "no_match_filters")
        : word(result.phrase ? "found_phrase" : "found", { n: n });
      allWords.hidden = !result.phrase;
      return show(result, query, 0);
    }).catch(function (e) {
      if (token !== current) return;
      status.textContent = word("search_failed", { error: e.message });
    });
  }

  function updateUrl() {
    var params = new URLSearchParams();
    if (input.value.trim()) params.set("q", input.value.trim());
    var f = activeFilters();
    Object.keys(f).forEach(function (k) { params.set(k, f[k]); });
    var qs = params.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
  }

  // --- Filters --------------------------------------------------------------
  function fill(select, values, chosen) {
    values.forEach(function (v) {
      var value = Array.isArray(v) ? v[0] : v, label = Array.isArray(v) ? v[1] : v;
      if (value === chosen) return;
      var o = document.createElement("option");
      o.value = value;
      o.textContent = label;
      select.appendChild(o);
    });
  }
  function choose(select, value, label) {
    if (!value) return;
    var o = document.createElement("option");
    o.value = value;
    o.textContent = label || value;
    select.appendChild(o);
    select.value = value;
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  Object.keys(selects).forEach(function (k) { choose(selects[k], params.get(k)); });

  // Speakers and tags are few; the transcript list can be long, so it loads
  // only when a reader goes for that filter.
  fetchJson("filters.bin").then(function (f) {
    fill(selects.speaker, f.speakers, params.get("speaker"));
    fill(selects.tag, f.tags, params.get("tag"));
  }, function () {});
  var transcriptsLoaded = false;
  function loadTranscripts() {
    if (transcriptsLoaded) return;
    transcriptsLoaded = true;
    fetchJson("transcripts.bin").then(function (list) {
      var chosen = params.get("transcript");
      list.forEach(function (t) {
        if (t[0] === chosen) {
          selects.transcript.querySelector('option[value="' + CSS.escape(chosen) + '"]').textContent = t[1];
        }
      });
      fill(selects.transcript, list, chosen);
    }, function () { transcriptsLoaded = false; });
  }
  selects.transcript.addEventListener("focus", loadTranscripts);
  selects.transcript.addEventListener("pointerdown", loadTranscripts);

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    // The query is sent: the search for the words being typed, still
    // waiting, would run it again as a prefix and replace these results.
    clearTimeout(timer);
    updateUrl();
    search();
  });
  Object.keys(selects).forEach(function (k) {
    selects[k].addEventListener("change", function () { updateUrl(); search(); });
  });
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { updateUrl(); search(false, true); }, 300);
  });

  if (input.value || Object.keys(activeFilters()).length) search();
})();

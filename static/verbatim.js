// verbatim default theme script. The pages work without it; it only adds
// conveniences, and it requests nothing from any host.
(function () {
  "use strict";

  // The theme's words in the page's language: verbatim-words-<lang>.js,
  // which the build writes from the i18n/ tables. A word with a count picks
  // its plural form by the browser's CLDR rules, as the build's do, and
  // writes numbers in the page language's digits. The search script uses
  // it too (window.verbatimWord).
  var WORDS = window.verbatimWords || {};
  var LANG = document.documentElement.lang || "en";
  function word(key, vars) {
    var w = WORDS[key];
    vars = vars || {};
    if (w == null) return key;
    if (typeof w === "object") {
      var form = "other";
      if (typeof vars.n === "number") {
        try { form = new Intl.PluralRules(LANG).select(vars.n); } catch (e) { form = "other"; }
      }
      w = w[form] || w.other || "";
    }
    return w.replace(/\{(\w+)\}/g, function (all, name) {
      var v = vars[name];
      if (v == null) return all;
      if (typeof v !== "number") return String(v);
      try { return v.toLocaleString(LANG); } catch (e) { return String(v); }
    });
  }
  window.verbatimWord = word;

  // Opened from disk, a link to "folder/" shows a file listing instead of
  // the page: point such links at folder/index.html.
  if (location.protocol === "file:") {
    document.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.charAt(0) === "#") return;
      var parts = href.split("#");
      if (parts[0] === "" || parts[0].slice(-1) === "/") {
        parts[0] = (parts[0] === "" ? "./" : parts[0]) + "index.html";
        a.setAttribute("href", parts.join("#"));
      }
    });
    // The header's search form, likewise.
    document.querySelectorAll("form[action$='/']").forEach(function (f) {
      f.setAttribute("action", f.getAttribute("action") + "index.html");
    });
  }

  // Arriving from a search result (`?mark=open source#t12`): the words the
  // search found are marked in the turn that holds them.
  var toMark = new URLSearchParams(location.search).get("mark");
  var markIn = toMark && location.hash.length > 1 &&
    document.getElementById(decodeURIComponent(location.hash.slice(1)));
  var markBody = markIn && markIn.querySelector(".turn-body");
  if (markBody) {
    // Chinese and Japanese words stand between other letters, with no
    // boundary to look for.
    var cjk = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
    var alternatives = toMark.split(" ").filter(Boolean).map(function (w) {
      var escaped = w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      return cjk.test(w) ? escaped : "(?<![\\p{L}\\p{M}\\p{N}])" + escaped + "(?![\\p{L}\\p{M}\\p{N}])";
    });
    if (alternatives.length) {
      var pattern = new RegExp(alternatives.join("|"), "giu");
      var walker = document.createTreeWalker(markBody, NodeFilter.SHOW_TEXT);
      var texts = [];
      while (walker.nextNode()) texts.push(walker.currentNode);
      texts.forEach(function (node) {
        var text = node.nodeValue, at = 0, m, parts = document.createDocumentFragment(), found = false;
        pattern.lastIndex = 0;
        while ((m = pattern.exec(text))) {
          if (m[0] === "") { pattern.lastIndex++; continue; }
          found = true;
          parts.appendChild(document.createTextNode(text.slice(at, m.index)));
          var mark = document.createElement("mark");
          mark.className = "found";
          mark.textContent = m[0];
          parts.appendChild(mark);
          at = m.index + m[0].length;
        }
        if (!found) return;
        parts.appendChild(document.createTextNode(text.slice(at)));
        node.parentNode.replaceChild(parts, node);
      });
    }
  }

  // An interview in several languages. The switch keeps the reader's
  // place: the turn in the address (#t12), else the first one in view,
  // as the other language numbers it (data-turns: "t6:t5 t7:t5", the
  // turns it numbers otherwise; the rest keep their number).
  document.querySelectorAll(".language-list a[href]").forEach(function (a) {
    a.addEventListener("click", function () {
      var at = location.hash.slice(1);
      if (!/^t[0-9]+$/.test(at)) {
        at = "";
        var turns = document.querySelectorAll(".turn[id], .parallel-row[id]");
        for (var i = 0; i < turns.length; i++) {
          if (turns[i].getBoundingClientRect().bottom > 0) {
            at = turns[i].id;
            break;
          }
        }
        // At the top of the page, the top of the other page.
        if (window.scrollY < 50) at = "";
      }
      if (!at) return;
      var map = {};
      (a.getAttribute("data-turns") || "").split(" ").forEach(function (pair) {
        var p = pair.split(":");
        if (p.length === 2) map[p[0]] = p[1];
      });
      a.href = a.href.split("#")[0] + "#" + (map[at] || at);
    });
  });

  // Two languages side by side: where the screen is too narrow for two
  // columns (the stylesheet decides), the reader picks the one to show.
  // The language chosen holds for the session, whichever side it is on.
  var parallel = document.querySelector(".parallel");
  var show = parallel && parallel.querySelector(".parallel-show");
  if (show) {
    var choices = show.querySelectorAll("button[data-show]");
    var choose = function (chosen, keep) {
      parallel.setAttribute("data-show", chosen.getAttribute("data-show"));
      choices.forEach(function (b) {
        b.setAttribute("aria-pressed", String(b === chosen));
      });
      if (keep) {
        try { sessionStorage.setItem("verbatim-parallel", chosen.lang); } catch (e) { /* private mode */ }
      }
    };
    choices.forEach(function (b) {
      b.addEventListener("click", function () { choose(b, true); });
    });
    var kept = null;
    try { kept = sessionStorage.getItem("verbatim-parallel"); } catch (e) { /* private mode */ }
    var first = choices[0];
    choices.forEach(function (b) { if (b.lang === kept) first = b; });
    choose(first, false);
    show.hidden = false;
  }

  // Citing: a "copy link" button beside each turn's # link. The # link is
  // the permalink and works without script; the button copies the address,
  // preferring the published (canonical) one to a local preview's.
  var canonical = document.querySelector('link[rel="canonical"]');
  var published = canonical && /^https?:/.test(canonical.href) ? canonical.href.split("#")[0] : null;
  document.querySelectorAll(".turn-head .self-link").forEach(function (link) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-link";
    button.setAttribute("data-target", link.getAttribute("href"));
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " " + word(link.closest(".turn-question") ? "this_question" : "this_answer");
    button.appendChild(document.createTextNode(word("copy_link")));
    button.appendChild(hidden);
    link.insertAdjacentElement("afterend", button);
  });
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // file:// and plain http have no async clipboard: a selected textarea does.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".copy-link");
    if (!button) return;
    var hash = button.getAttribute("data-target");
    var url = (published || location.href.split("#")[0]) + hash;
    copyText(url).then(function () {
      button.setAttribute("data-copied", "");
      button.firstChild.textContent = word("copied");
      status.textContent = word("link_copied", { url: url });
    }, function () {
      // No clipboard at all: go to the link, so the address bar holds it.
      location.hash = hash;
      status.textContent = word("copy_by_hand");
    });
    setTimeout(function () {
      button.removeAttribute("data-copied");
      button.firstChild.textContent = word("copy_link");
    }, 2000);
  });

  // Citing one turn: a section page's citation says its address, key and
  // time (src/cite.rs writes the styles, once); a "Cite" button beside each
  // turn shows that citation made the turn's, with the turn's fragment in
  // the address and key and its stretch of the recording as the time.
  var partCite = document.querySelector(".cite[data-url]");
  if (partCite) {
    document.querySelectorAll(".turn[id] > .turn-head").forEach(function (head) {
      var turn = head.parentNode;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cite-turn";
      button.setAttribute("aria-expanded", "false");
      button.setAttribute("aria-controls", turn.id + "-cite");
      button.appendChild(document.createTextNode(word("cite")));
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " " + word(turn.classList.contains("turn-question") ? "this_question" : "this_answer");
      button.appendChild(hidden);
      head.appendChild(button);
    });
    document.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest(".cite-turn");
      if (!button) return;
      var turn = button.closest(".turn");
      var shown = document.getElementById(turn.id + "-cite");
      if (shown) {
        shown.parentNode.removeChild(shown);
        button.setAttribute("aria-expanded", "false");
        return;
      }
      var box = document.createElement("div");
      box.className = "turn-cite";
      box.id = turn.id + "-cite";
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", word(turn.classList.contains("turn-question") ? "citation_of_question" : "citation_of_answer"));
      box.appendChild(partCite.querySelector(".cite-styles").cloneNode(true));
      box.appendChild(partCite.querySelector(".cite-formats").cloneNode(true));
      // The section's address, then its key (which the address does not
      // hold), then its time, each replaced by the turn's in every text.
      var swaps = [
        [partCite.getAttribute("data-url"), partCite.getAttribute("data-url") + "#" + turn.id],
        [partCite.getAttribute("data-key"), partCite.getAttribute("data-key") + "-" + turn.id],
      ];
      var time = partCite.getAttribute("data-time");
      if (time && turn.getAttribute("data-span")) swaps.push([time, turn.getAttribute("data-span")]);
      var walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (var node = walker.nextNode(); node; node = walker.nextNode()) {
        var text = node.nodeValue;
        swaps.forEach(function (s) { text = text.split(s[0]).join(s[1]); });
        node.nodeValue = text;
      }
      box.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
      turn.appendChild(box);
      button.setAttribute("aria-expanded", "true");
    });
  }

  // The recording: time links play it from their time, the turn being
  // spoken is marked and kept in view, links carry times (#t=83, ?t=1:23,
  // as Media Fragments write them) and the place is kept across the
  // transcript's pages for the session.
  var player = document.querySelector(".player audio, .player video");
  if (player) recording(player);

  function recording(player) {
    var box = player.closest(".player");
    var key = "verbatim:recording:" + (box.getAttribute("data-transcript") || location.pathname);
    var reduced = window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches;
    // The recording's files, each with where it starts on the transcript's
    // clock; turn times are on that clock.
    var files = [].map.call(box.querySelectorAll(".media-files a[data-offset]"), function (a) {
      return { url: a.href, offset: parseFloat(a.getAttribute("data-offset")) || 0 };
    });
    if (!files.length) files = [{ url: player.currentSrc || player.src, offset: 0 }];
    var file = 0;
    // Every timed turn of the page, by time.
    var turns = [];
    document.querySelectorAll(".turn a[data-seek]").forEach(function (a) {
      turns.push({ at: parseFloat(a.getAttribute("data-seek")) || 0, el: a.closest(".turn") });
    });
    turns.sort(function (a, b) { return a.at - b.at; });
    // A section page holds the turns up to the next section's start.
    var here = document.querySelector('.section-nav [aria-current="page"]');
    var nextItem = here && here.nextElementSibling;
    var nextLink = nextItem && nextItem.querySelector("a[data-start]");
    var pageEnd = nextLink ? parseFloat(nextLink.getAttribute("data-start")) : Infinity;

    function now() { return files[file].offset + (player.currentTime || 0); }

    // The last turn to start at or before `t`: a binary search, so a page
    // of a thousand turns costs ten comparisons per time update.
    function turnAt(t) {
      if (t >= pageEnd) return -1;
      var lo = 0, hi = turns.length - 1, found = -1;
      while (lo <= hi) {
        var mid = (lo + hi) >> 1;
        if (turns[mid].at <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
      }
      return found;
    }

    function fileAt(t) {
      var f = 0;
      for (var i = 1; i < files.length; i++) if (files[i].offset <= t) f = i;
      return f;
    }

    function clock(t) {
      t = Math.max(0, Math.floor(t));
      var h = Math.floor(t / 3600), m = Math.floor(t / 60) % 60, s = t % 60;
      return (h < 10 ? "0" : "") + h + ":" + (m < 10 ? "0" : "") + m + ":" + (s < 10 ? "0" : "") + s;
    }

    // `83`, `1:23`, `01:01:23.5`, `npt:83`, `83,90` (a range: its start).
    function parseTime(text) {
      var parts = text.replace(/^npt:/, "").split(",")[0].split(":");
      var t = 0;
      for (var i = 0; i < parts.length; i++) t = t * 60 + (parseFloat(parts[i]) || 0);
      return isFinite(t) && t >= 0 ? t : null;
    }

    // Controls the script adds: they would do nothing without it.
    var follow = document.createElement("button");
    follow.type = "button";
    follow.className = "follow";
    follow.hidden = true;
    follow.textContent = word("follow");
    var copyTime = document.createElement("button");
    copyTime.type = "button";
    copyTime.className = "copy-time";
    copyTime.textContent = word("copy_link_at", { time: clock(0) });
    var onward = document.createElement("a");
    onward.className = "now-playing";
    onward.hidden = true;
    if (nextLink) {
      onward.href = nextLink.href;
      onward.textContent = word("now_playing", { title: nextLink.textContent.trim() });
    }
    var controls = document.createElement("p");
    controls.className = "player-controls";
    controls.appendChild(copyTime);
    controls.appendChild(follow);
    controls.appendChild(onward);
    box.appendChild(controls);

    // Following: the turn being spoken is marked and scrolled into view,
    // until the reader scrolls it out of view; then "Follow" brings it back.
    var current = -1, following = true, ours = 0;
    function inView(el) {
      var r = el.getBoundingClientRect();
      var top = box.getBoundingClientRect().bottom;
      return r.top >= top && r.top < innerHeight - 40;
    }
    function keepInView(el) {
      if (inView(el)) return;
      ours = Date.now();
      el.scrollIntoView({ block: "center", behavior: reduced ? "auto" : "smooth" });
    }
    function mark() {
      var t = now();
      var i = turnAt(t);
      onward.hidden = !(nextLink && t >= pageEnd && !player.paused);
      if (i === current) return;
      if (current >= 0) turns[current].el.removeAttribute("aria-current");
      current = i;
      if (i < 0) return;
      turns[i].el.setAttribute("aria-current", "true");
      if (following && !player.paused) keepInView(turns[i].el);
    }
    addEventListener("scroll", function () {
      // A scroll of our own (smooth ones last a while) is not the reader's.
      if (Date.now() - ours < 1200 || current < 0 || player.paused) return;
      if (following && !inView(turns[current].el)) {
        following = false;
        follow.hidden = false;
      }
    }, { passive: true });
    addEventListener("scrollend", function () { ours = 0; });
    follow.addEventListener("click", function () {
      following = true;
      follow.hidden = true;
      if (current >= 0) keepInView(turns[current].el);
    });

    // Seeking. A host that does not answer byte ranges gives the browser a
    // recording it cannot seek in; the file is then fetched once, whole, and
    // played from memory, where every point can be reached.
    var whole = {};
    function seekable(t) {
      if (t === 0) return true;
      for (var i = 0; i < player.seekable.length; i++) {
        if (player.seekable.start(i) <= t && t <= player.seekable.end(i)) return true;
      }
      return false;
    }
    function ready(then) {
      if (player.readyState >= 1) then();
      else player.addEventListener("loadedmetadata", function once() {
        player.removeEventListener("loadedmetadata", once);
        then();
      });
    }
    function load(f, src) {
      file = f;
      player.src = src;
      player.load();
    }
    function cue(t, play) {
      var f = fileAt(t);
      var at = Math.max(0, t - files[f].offset);
      if (f !== file) load(f, whole[f] || files[f].url);
      ready(function () {
        if (!seekable(at) && !whole[f] && location.protocol !== "file:" && window.fetch) {
          whole[f] = "pending";
          fetch(files[f].url).then(function (r) {
            if (!r.ok) throw new Error(r.status);
            return r.blob();
          }).then(function (blob) {
            whole[f] = URL.createObjectURL(blob);
            if (file === f) load(f, whole[f]);
            ready(function () { seek(at, play); });
          }, function () { seek(at, play); });
          return;
        }
        seek(at, play);
      });
    }
    function seek(at, play) {
      player.currentTime = at;
      if (play) {
        var p = player.play();
        if (p && p.catch) p.catch(function () {});
      }
      mark();
    }

    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[data-seek]");
      if (!link) return;
      event.preventDefault();
      following = true;
      follow.hidden = true;
      cue(parseFloat(link.getAttribute("data-seek")) || 0, true);
    });
    player.addEventListener("ended", function () {
      if (file + 1 < files.length) cue(files[file + 1].offset, true);
    });

    // The place, kept for the session and read by the transcript's other
    // pages; and the "copy link at" button, kept at the current second.
    var shown = -1;
    function save() {
      try {
        sessionStorage.setItem(key, JSON.stringify({ at: now(), playing: !player.paused && !player.ended }));
      } catch (e) { /* storage refused: nothing to keep */ }
    }
    player.addEventListener("timeupdate", function () {
      mark();
      var second = Math.floor(now());
      if (second !== shown) {
        shown = second;
        copyTime.textContent = word("copy_link_at", { time: clock(second) });
        save();
      }
    });
    ["seeked", "pause", "play"].forEach(function (e) { player.addEventListener(e, function () { mark(); save(); }); });
    addEventListener("pagehide", save);
    copyTime.addEventListener("click", function () {
      var url = (published || location.href.split("#")[0].split("?")[0]) + "#t=" + Math.floor(now());
      copyText(url).then(function () {
        status.textContent = word("link_copied", { url: url });
      }, function () {
        history.replaceState(null, "", "#t=" + Math.floor(now()));
        status.textContent = word("copy_by_hand");
      });
    });

    // Arriving: a time in the address opens the page at the turn spoken
    // then (or the section page that holds it) and cues the player; a link
    // to a turn cues it at that turn; else the session's place is resumed.
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    var playing = !!(saved && saved.playing);
    var m = /(?:^#|&)t=([^&]+)/.exec(location.hash) || /[?&]t=([^&]+)/.exec(location.search);
    var asked = m ? parseTime(decodeURIComponent(m[1])) : null;
    if (asked !== null) {
      var holder = null;
      document.querySelectorAll(".section-nav a[data-start]").forEach(function (a) {
        if (parseFloat(a.getAttribute("data-start")) <= asked) holder = a;
      });
      // On a section page, the section that starts last before the time
      // holds it; the full page and the overview hold every time.
      if (holder && here && holder.closest("li") !== here) {
        location.replace(holder.href.split("#")[0] + "#t=" + asked);
        return;
      }
      var i = turnAt(asked);
      if (i >= 0) turns[i].el.scrollIntoView({ block: "center" });
      cue(asked, playing);
      return;
    }
    var target = location.hash.length > 1 && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var timed = target && target.querySelector && (target.matches(".turn") ? target : target.querySelector(".turn"));
    var seekLink = timed && timed.querySelector("a[data-seek]");
    if (seekLink) {
      cue(parseFloat(seekLink.getAttribute("data-seek")) || 0, playing);
    } else if (saved && typeof saved.at === "number") {
      cue(saved.at, playing);
    }
  }
})();

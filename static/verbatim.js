// verbatim default theme script. The pages work without it; it only adds
// conveniences, and it requests nothing from any host.
(function () {
  "use strict";

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
    var label = (link.getAttribute("aria-label") || "Link to this answer").replace(/^Link/, "link");
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " " + label.replace(/^link /, "");
    button.appendChild(document.createTextNode("Copy link"));
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
      button.firstChild.textContent = "Copied";
      status.textContent = "Link copied: " + url;
    }, function () {
      // No clipboard at all: go to the link, so the address bar holds it.
      location.hash = hash;
      status.textContent = "Copy the address from the address bar.";
    });
    setTimeout(function () {
      button.removeAttribute("data-copied");
      button.firstChild.textContent = "Copy link";
    }, 2000);
  });

  // Turn times seek the page's player instead of leaving the page.
  var player = document.querySelector(".player audio, .player video");
  if (player) {
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[data-seek]");
      if (!link) return;
      event.preventDefault();
      player.currentTime = parseFloat(link.getAttribute("data-seek")) || 0;
      player.play();
    });
  }
})();

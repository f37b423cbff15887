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

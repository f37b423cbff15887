// verbatim serve: reloads the page after each rebuild and shows build
// problems over the page until they are fixed. Injected by `verbatim serve`
// only; built sites never contain it.
(function () {
  "use strict";
  var overlay = null;

  function showProblems(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "verbatim-problems";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;" +
        "padding:2rem;background:rgba(20,20,24,.94);color:#f5f5f5;" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;";
      var title = document.createElement("p");
      title.style.cssText = "font-weight:bold;color:#ff8a80;margin:0 0 1rem;";
      title.textContent =
        "The site did not build. The page below is the last good build; " +
        "fix the problem and save to reload.";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0;";
      overlay.appendChild(title);
      overlay.appendChild(pre);
      document.body.appendChild(overlay);
    }
    overlay.lastChild.textContent = text;
  }

  function connect() {
    var source = new EventSource("/__verbatim/events");
    source.addEventListener("reload", function () {
      location.reload();
    });
    source.addEventListener("problems", function (event) {
      showProblems(event.data);
    });
    source.addEventListener("ready", function () {
      if (overlay) {
        overlay.remove();
        overlay = null;
      }
    });
    // EventSource reconnects by itself when the server restarts.
  }

  if (document.body) {
    connect();
  } else {
    document.addEventListener("DOMContentLoaded", connect);
  }
})();

// Health pages: a print button for the slip and the roster. It is hidden when JavaScript is off,
// where the browser's own print command does the same. Loaded again by boosted navigation, so it
// sets itself up only once.
(function () {
  "use strict";
  function setUpPrint(root) {
    (root || document).querySelectorAll("[data-print]").forEach(function (button) {
      if (button.getAttribute("data-ready")) { return; }
      button.setAttribute("data-ready", "1");
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }
  if (!window.linliHealthReady) {
    window.linliHealthReady = true;
    document.addEventListener("DOMContentLoaded", function () { setUpPrint(document); });
    document.addEventListener("htmx:afterSettle", function (event) { setUpPrint(event.target); });
  }
  if (document.readyState !== "loading") { setUpPrint(document); }
})();

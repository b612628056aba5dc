// Health pages: a print button for the slip and the roster (hidden when JavaScript is off,
// where the browser's own print command does the same).
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
  document.addEventListener("DOMContentLoaded", function () { setUpPrint(document); });
  document.addEventListener("htmx:afterSettle", function (event) { setUpPrint(event.target); });
})();

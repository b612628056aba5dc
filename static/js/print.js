// Print buttons: shown only when JavaScript can print. Without JavaScript the page says to use the
// browser's own Print command, so nothing is lost. Safe to load again after a boosted navigation.
(function () {
  "use strict";

  function showPrintButtons(root) {
    var buttons = (root || document).querySelectorAll("[data-print]");
    for (var i = 0; i < buttons.length; i++) { buttons[i].hidden = false; }
  }

  if (!window.linliPrintReady) {
    window.linliPrintReady = true;
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("[data-print]") : null;
      if (button) {
        event.preventDefault();
        window.print();
      }
    });
    document.addEventListener("htmx:afterSettle", function (event) { showPrintButtons(event.target); });
  }
  showPrintButtons(document);
})();

// The Print button (components/print.html): prints the page at once. Without this file the button
// is a link to the page's print-friendly version.
(function () {
  "use strict";
  if (window.linliPrintReady) { return; }  // included once per page, and again after htmx swaps
  window.linliPrintReady = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (!button || typeof window.print !== "function") { return; }
    event.preventDefault();
    window.print();
  });
})();

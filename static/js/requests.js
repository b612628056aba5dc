// The receipt's Print button: shown only where JavaScript can print. Safe to load more than once
// (boosted navigation runs the script again).
(function () {
  "use strict";
  function setUp() {
    var buttons = document.querySelectorAll(".print-button:not([data-ready])");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("data-ready", "1");
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function () { window.print(); });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();

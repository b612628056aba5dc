// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-autofocus]");
    if (summary) { summary.focus(); }
  }

  // Read aloud: speaks the main content with a zh-CN or en voice. Hidden where the browser cannot speak.
  function setUpReadAloud() {
    var button = document.querySelector(".read-aloud");
    if (!button || button.getAttribute("data-ready")) { return; }
    if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") { return; }
    button.setAttribute("data-ready", "1");
    button.setAttribute("aria-pressed", "false");
    button.hidden = false;
    button.addEventListener("click", function () {
      var synth = window.speechSynthesis;
      if (synth.speaking) {
        synth.cancel();
        return;
      }
      var main = document.getElementById("main");
      var text = main ? main.innerText : document.body.innerText;
      var utterance = new SpeechSynthesisUtterance(text);
      var page = document.querySelector(".page");
      utterance.lang = (page && page.getAttribute("data-speech-lang")) || document.documentElement.lang;
      utterance.rate = 0.9;
      var voices = synth.getVoices().filter(function (v) { return v.lang && v.lang.replace("_", "-").indexOf(utterance.lang.slice(0, 2)) === 0; });
      if (voices.length) { utterance.voice = voices[0]; }
      utterance.onend = utterance.onerror = function () {
        button.textContent = button.getAttribute("data-read-label");
        button.setAttribute("aria-pressed", "false");
      };
      button.textContent = button.getAttribute("data-stop-label");
      button.setAttribute("aria-pressed", "true");
      synth.speak(utterance);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
    setUpReadAloud();
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    setUpReadAloud();
    focusErrorSummary(event.target);
  });
  // htmx posts a form with its own token field; a request from outside a form takes the page's token.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb === "get") { return; }
    var input = document.querySelector('input[name="csrf_token"]');
    if (input) { event.detail.headers["X-CSRFToken"] = input.value; }
  });
  document.addEventListener("htmx:beforeRequest", function () {
    if (window.speechSynthesis) { window.speechSynthesis.cancel(); }
  });
})();

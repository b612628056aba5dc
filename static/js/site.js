// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("[data-autofocus]");
    if (summary) { summary.focus(); }
  }

  // Read aloud. The control is a link to this page's audio spoken by the server (/speech), so it works
  // with JavaScript off. Here it plays in the page instead: with the browser's own voice when the browser
  // has one for the page's language, otherwise the server's audio (Chromium on a Linux kiosk has no voice).
  var playing = null;

  function voiceFor(lang) {
    if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") { return null; }
    var wanted = lang.slice(0, 2).toLowerCase();
    var voices = window.speechSynthesis.getVoices().filter(function (v) {
      return v.lang && v.lang.replace("_", "-").toLowerCase().indexOf(wanted) === 0;
    });
    return voices.length ? voices[0] : null;
  }

  function showReading(button, reading) {
    button.textContent = button.getAttribute(reading ? "data-stop-label" : "data-read-label");
    button.setAttribute("aria-pressed", reading ? "true" : "false");
  }

  function stopReading() {
    if (window.speechSynthesis) { window.speechSynthesis.cancel(); }
    if (playing) { playing.pause(); playing = null; }
    var button = document.querySelector(".read-aloud");
    if (button) { showReading(button, false); }
  }

  function readAloud(button) {
    var page = document.querySelector(".page");
    var lang = (page && page.getAttribute("data-speech-lang")) || document.documentElement.lang;
    var slow = button.getAttribute("data-speech-rate") === "slow";
    var voice = voiceFor(lang);
    showReading(button, true);
    if (voice) {
      var main = document.getElementById("main");
      var utterance = new SpeechSynthesisUtterance(main ? main.innerText : document.body.innerText);
      utterance.lang = lang;
      try { utterance.voice = voice; } catch (e) { /* the language alone picks a voice */ }
      utterance.rate = slow ? 0.7 : 0.9;
      utterance.onend = utterance.onerror = function () { showReading(button, false); };
      window.speechSynthesis.speak(utterance);
      button.setAttribute("data-playing", "voice");
      return;
    }
    playing = new Audio(button.getAttribute("href"));
    window.linliReadAloudAudio = playing;  // for the browser tests
    playing.onended = playing.onerror = function () { playing = null; showReading(button, false); };
    button.setAttribute("data-playing", "server");
    playing.play().catch(function () { playing = null; showReading(button, false); });
  }

  function setUpReadAloud() {
    var button = document.querySelector(".read-aloud");
    if (!button || button.getAttribute("data-ready")) { return; }
    button.setAttribute("data-ready", "1");
    button.setAttribute("role", "button");
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function (event) {
      event.preventDefault();
      if (button.getAttribute("aria-pressed") === "true") { stopReading(); } else { readAloud(button); }
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
  document.addEventListener("htmx:beforeRequest", function (event) {
    // Polling (a kiosk's call status, the staff's call list) must not cut the reading short.
    if (event.detail && event.detail.boosted) { stopReading(); }
  });
})();

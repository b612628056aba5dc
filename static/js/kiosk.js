// Kiosk mode, loaded only on a registered kiosk. Every kiosk page works without this file: the server
// ends an idle visit by itself and the keypad keys are plain form buttons. This adds:
// - the "Are you still there?" warning after the idle time, with a countdown and "I need more time"
//   (as often as wanted: WCAG 2.2.1), then Start again;
// - keypad taps that fill the field in the page;
// - a "still here" message to the server while someone is touching the screen;
// - no remembered form values, and no page kept for the Back button.
(function () {
  "use strict";
  var idleTimer = null;
  var countdownTimer = null;
  var remaining = 0;
  var lastPing = Date.now();
  var focusBeforeWarning = null;

  if (window.htmx) {
    // A page that htmx has not kept is fetched afresh, so Back after Start again finds nobody.
    window.htmx.config.refreshOnHistoryMiss = true;
    window.htmx.config.historyCacheSize = 0;
  }

  function bar() { return document.querySelector(".kiosk-bar"); }
  function dialog() { return document.getElementById("kiosk-idle"); }
  function setting(name, fallback) {
    var element = bar();
    var value = element ? parseInt(element.getAttribute("data-" + name), 10) : NaN;
    return value > 0 ? value : fallback;
  }
  function csrfToken() {
    var input = document.querySelector('input[name="csrf_token"]');
    return input ? input.value : "";
  }

  var startedAgain = false;

  // Once only: a "still here" answer that comes back 400 after the countdown has already sent Start again
  // (the server ended the visit, so the ping's token is stale) must not send it a second time, which would
  // abort the first and post the old page's token.
  function startAgain() {
    if (startedAgain) { return; }
    var form = document.querySelector(".kiosk-idle-reset") || document.querySelector(".kiosk-reset-form");
    if (form) {
      startedAgain = true;
      form.submit();
    }
  }

  function ping() {
    var element = bar();
    if (!element || !window.fetch) { return; }
    lastPing = Date.now();
    window.fetch(element.getAttribute("data-still-here-url"), {
      method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": csrfToken()}
    }).then(function (response) {
      // 400: the server has already ended this visit (its CSRF token is gone), so this page is stale.
      if (response.status === 400) { startAgain(); }
    }).catch(function () { /* the network is down: the next request will tell */ });
  }

  function showCountdown() {
    var element = dialog();
    var number = element && element.querySelector(".kiosk-countdown");
    if (number) { number.textContent = String(Math.max(remaining, 0)); }
  }

  function showWarning() {
    var element = dialog();
    if (!element) { return; }
    remaining = setting("warning-seconds", 30);
    showCountdown();
    focusBeforeWarning = document.activeElement;
    if (typeof element.showModal === "function") {
      if (!element.open) { element.showModal(); }
    } else {
      element.setAttribute("open", "");
    }
    var more = element.querySelector(".kiosk-more-time");
    if (more) { more.focus(); }
    clearInterval(countdownTimer);
    countdownTimer = setInterval(function () {
      remaining -= 1;
      showCountdown();
      if (remaining <= 0) {
        clearInterval(countdownTimer);
        startAgain();
      }
    }, 1000);
  }

  function hideWarning() {
    clearInterval(countdownTimer);
    countdownTimer = null;
    var element = dialog();
    if (element && element.open) {
      if (typeof element.close === "function") { element.close(); } else { element.removeAttribute("open"); }
    }
  }

  function restartIdleTimer() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(showWarning, setting("idle-seconds", 90) * 1000);
  }

  function moreTime() {
    hideWarning();
    restartIdleTimer();
    ping();
    if (focusBeforeWarning && document.contains(focusBeforeWarning) && focusBeforeWarning.focus) {
      focusBeforeWarning.focus();
    }
  }

  function onActivity() {
    if (countdownTimer) { return; }  // while the warning shows, only its buttons count
    restartIdleTimer();
    if (Date.now() - lastPing > setting("ping-seconds", 15) * 1000) { ping(); }
  }

  function pressKey(key, event) {
    var pad = key.closest("[data-keypad-for]");
    var field = pad && document.getElementById(pad.getAttribute("data-keypad-for"));
    if (!field) { return; }
    event.preventDefault();
    var maximum = parseInt(pad.getAttribute("data-keypad-max"), 10) || 20;
    var value = field.value.replace(/\D/g, "");
    var pressed = key.getAttribute("data-key");
    if (pressed === "delete") {
      value = value.slice(0, -1);
    } else if (value.length < maximum) {
      value += pressed;
    }
    field.value = value;
    var copy = pad.querySelector("input[type=hidden][name='" + field.name + "']");
    if (copy) { copy.value = value; }
    var echo = pad.querySelector("[data-keypad-echo]");
    if (echo) { echo.textContent = value.split("").join(" "); }
  }

  function forgetFormValues(root) {
    var forms = (root || document).querySelectorAll("form");
    for (var i = 0; i < forms.length; i++) { forms[i].setAttribute("autocomplete", "off"); }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : event.target.parentElement;
    if (!target) { return; }
    var key = target.closest("[data-key]");
    if (key) { pressKey(key, event); return; }
    if (target.closest(".kiosk-more-time")) { moreTime(); }
  });
  // Escape on the warning means someone is there: the same as "I need more time".
  document.addEventListener("cancel", function (event) {
    if (event.target === dialog()) { event.preventDefault(); moreTime(); }
  }, true);
  ["pointerdown", "keydown", "touchstart", "wheel", "input"].forEach(function (name) {
    document.addEventListener(name, onActivity, {capture: true, passive: true});
  });
  window.addEventListener("scroll", onActivity, {passive: true});
  // A page restored from the back-forward cache may be someone else's: fetch it afresh.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { window.location.reload(); }
  });

  function pageReady(root) {
    hideWarning();
    lastPing = Date.now();  // loading the page told the server already
    restartIdleTimer();
    forgetFormValues(root);
  }
  document.addEventListener("DOMContentLoaded", function () { pageReady(document); });
  document.addEventListener("htmx:afterSettle", function (event) { pageReady(event.target); });
})();

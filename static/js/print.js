// The Print button (components/print.html): prints the page at once. Without this file the button
// is a link to the page's print-friendly version.
// On a receipt roll (slips.css: named pages roll80, roll58) the sheet is made as long as what it
// holds, so the printer feeds no blank paper after the slip. slips.css gives each roll a fixed length,
// long enough for the longest slip in either language: that is what prints without this file.
(function () {
  "use strict";
  if (window.linliPrintReady) { return; }  // included once per page, and again after htmx swaps
  window.linliPrintReady = true;
  var MM_PER_PX = 25.4 / 96;
  var SPARE_MM = 4;  // rounding, and the line the cutter needs below the last one printed

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (!button || typeof window.print !== "function") { return; }
    event.preventDefault();
    window.print();
  });

  function rollPageName() {
    var page = document.querySelector(".page[class*='paper-roll']");
    var match = page && page.className.match(/\bpaper-(roll\w+)/);
    return match ? match[1] : null;
  }

  function pageRule(name) {
    for (var i = 0; i < document.styleSheets.length; i++) {
      var rules;
      try { rules = document.styleSheets[i].cssRules; } catch (e) { continue; }
      for (var j = 0; j < rules.length; j++) {
        if (rules[j].type === CSSRule.PAGE_RULE && rules[j].selectorText === name) { return rules[j]; }
      }
    }
    return null;
  }

  function mm(value) {
    var number = parseFloat(value);
    return /mm$/.test(value) ? number : number * MM_PER_PX;
  }

  // From the top of the first thing shown to the bottom of the last: the innermost boxes only, since a
  // layout's wrappers may be as tall as the screen.
  function contentHeightPx() {
    var top = Infinity, bottom = -Infinity;
    document.querySelectorAll("body *").forEach(function (element) {
      if (element.children.length && element.tagName.toLowerCase() !== "svg") { return; }
      if (element.closest("svg") && element.tagName.toLowerCase() !== "svg") { return; }
      var box = element.getBoundingClientRect();
      if (!box.height) { return; }
      top = Math.min(top, box.top);
      bottom = Math.max(bottom, box.bottom);
    });
    return bottom > top ? bottom - top : 0;
  }

  // Every media condition that names print or screen, in the <link> elements and inside the sheets.
  function mediaLists() {
    var lists = [];
    Array.prototype.forEach.call(document.styleSheets, function (sheet) {
      lists.push(sheet.media);
      var rules;
      try { rules = sheet.cssRules; } catch (e) { return; }
      Array.prototype.forEach.call(rules, function (rule) {
        if (rule.type === CSSRule.MEDIA_RULE) { lists.push(rule.media); }
      });
    });
    return lists.filter(function (list) { return /\b(print|screen)\b/.test(list.mediaText); });
  }

  // Lays the page out as print would (print rules on, screen rules off, the roll's printable width),
  // measures it, and puts everything back; the browser then prints with the new length.
  function printedHeightMm(rule) {
    var style = rule.style;
    var width = mm(style.getPropertyValue("size").split(/\s+/)[0]);
    var across = width - mm(style.getPropertyValue("margin-left")) - mm(style.getPropertyValue("margin-right"));
    var lists = mediaLists();
    var saved = lists.map(function (list) { return list.mediaText; });
    var root = document.documentElement;
    var rootStyle = root.getAttribute("style");
    lists.forEach(function (list, i) {
      list.mediaText = saved[i].replace(/\bscreen\b/g, "not all").replace(/\bprint\b/g, "all");
    });
    root.style.width = across + "mm";
    var height = contentHeightPx() * MM_PER_PX;
    lists.forEach(function (list, i) { list.mediaText = saved[i]; });
    if (rootStyle === null) { root.removeAttribute("style"); } else { root.setAttribute("style", rootStyle); }
    return height + mm(style.getPropertyValue("margin-top")) + mm(style.getPropertyValue("margin-bottom"));
  }

  window.addEventListener("beforeprint", function () {
    var name = rollPageName();
    var rule = name && pageRule(name);
    if (!rule) { return; }
    var width = rule.style.getPropertyValue("size").split(/\s+/)[0];
    var length = Math.ceil(printedHeightMm(rule) + SPARE_MM);
    var sheet = document.getElementById("roll-length") || document.head.appendChild(document.createElement("style"));
    sheet.id = "roll-length";
    sheet.textContent = "@page " + name + " { size: " + width + " " + length + "mm; }";
  });
})();

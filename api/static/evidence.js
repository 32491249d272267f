// Evidence editing on the review page (api/evidence_form.py): select words in the email, then
// press a field's "Set from selection" button; the field gets the words' offsets as its
// evidence (`sN.FIELD.ev`, "start-end" in code points of the result's text) and, where the
// words read as a value, that value.
//
// Offsets come from the pieces' `data-start` (the server counts them in the text it stores),
// never from the DOM's string: the browser turns CR LF into LF and counts UTF-16 units, so
// within a piece the DOM text is walked against the source text (the panel's `data-source`,
// JSON). review.js loads this script on item pages.
"use strict";
(function () {
  var source = null;   // the result's text as an array of code points
  var chosen = null;   // the last selection inside the email: {start, end}

  function points() {
    if (source === null) {
      var el = document.getElementById("email-text");
      source = el && el.dataset.source ? Array.from(JSON.parse(el.dataset.source)) : [];
    }
    return source;
  }

  // The code point offset in the source text of DOM offset `domOffset` in `piece`'s text.
  function walk(piece, domOffset) {
    var cps = points(), dom = piece.textContent, i = parseInt(piece.dataset.start, 10), j = 0;
    while (j < domOffset && i < cps.length) {
      var cp = cps[i], d = dom.charAt(j);
      if (dom.substr(j, cp.length) === cp) { i += 1; j += cp.length; continue; }
      if (cp === "\r" && d === "\n" && cps[i + 1] !== "\n") { i += 1; j += 1; continue; }
      if (cp === "\r" || cp === "\n") { i += 1; continue; } // dropped by the HTML parser
      i += 1; j += cp.length; // replaced by the parser (a NUL): one for one
    }
    return i;
  }

  // The source offset of a selection boundary (container, offset), located by comparing it
  // with every piece: before a piece is its start, inside it is walked, after all is the end.
  function offsetOf(pieces, container, offset) {
    for (var k = 0; k < pieces.length; k++) {
      var range = document.createRange();
      range.selectNodeContents(pieces[k]);
      var where = range.comparePoint(container, offset);
      if (where < 0) { return parseInt(pieces[k].dataset.start, 10); }
      if (where === 0) {
        if (container.nodeType !== Node.TEXT_NODE) {
          return offset === 0 ? parseInt(pieces[k].dataset.start, 10)
            : walk(pieces[k], pieces[k].textContent.length);
        }
        return walk(pieces[k], offset);
      }
    }
    return points().length;
  }

  // Whitespace off the edges, partial words widened to whole ones (as the server does).
  function tidy(start, end) {
    var cps = points(), word = /[\p{L}\p{N}]/u;
    while (start < end && /\s/.test(cps[start])) { start++; }
    while (end > start && /\s/.test(cps[end - 1])) { end--; }
    if (start === end) { return null; }
    while (start > 0 && word.test(cps[start - 1]) && word.test(cps[start])) { start--; }
    while (end < cps.length && word.test(cps[end - 1]) && word.test(cps[end])) { end++; }
    return {start: start, end: end};
  }

  function remember(panel) {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return; }
    var range = sel.getRangeAt(0);
    if (!panel.contains(range.commonAncestorContainer)) { return; }
    var pieces = panel.querySelectorAll("[data-start]");
    var start = offsetOf(pieces, range.startContainer, range.startOffset);
    var end = offsetOf(pieces, range.endContainer, range.endOffset);
    chosen = end > start ? tidy(start, end) : null;
  }

  var NUMBERS = {one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
    ein: 1, eine: 1, einen: 1, einem: 1, zwei: 2, drei: 3, vier: 4, "fünf": 5, sechs: 6, sieben: 7,
    acht: 8, neun: 9, zehn: 10, single: 1};
  var ROOMS = [["single", /single|einzel/i], ["double", /double|doppel/i], ["twin", /twin|zweibett/i],
    ["suite", /suite/i]];

  // What the selected words say as the field's value, or null to leave the value as typed.
  function valueOf(kind, words) {
    if (kind === "text") { return words.replace(/\s+/g, " "); }
    if (kind === "number") {
      var digits = /\d+/.exec(words);
      if (digits) { return digits[0]; }
      var first = words.toLowerCase().split(/\s+/)[0];
      return NUMBERS[first] ? String(NUMBERS[first]) : null;
    }
    if (kind === "room_type") {
      for (var k = 0; k < ROOMS.length; k++) { if (ROOMS[k][1].test(words)) { return ROOMS[k][0]; } }
      return null;
    }
    if (kind === "date") {
      var iso = /\b(\d{4}-\d{2}-\d{2})\b/.exec(words);
      return iso ? iso[1] : null;
    }
    if (kind === "price") {
      var amount = /\d+(?:[.,]\d+)?/.exec(words);
      return amount ? amount[0].replace(",", ".") : null;
    }
    if (kind === "breakfast") { return "yes"; }
    return null;
  }

  // The note beside a field: the words in quotes and how they were found, or a sentence.
  function tell(form, note, how, words) {
    note.textContent = "";
    note.dataset.how = how;
    if (words === null) {
      note.textContent = how === "missing" ? form.dataset.tMissing : "";
      return;
    }
    note.appendChild(document.createTextNode("\u201c" + words + "\u201d "));
    if (how === "found" || how === "selected") {
      var em = document.createElement("em");
      em.textContent = how === "found" ? form.dataset.tFound : form.dataset.tSelected;
      note.appendChild(em);
    }
  }

  // Every whole-word occurrence of `needle` in the text: as written, else in any case
  // (compared code point by code point, so offsets stay those of the text; as the server's
  // human_evidence.locate does, which decides what is saved).
  function occurrences(needle) {
    var cps = points(), pin = Array.from(needle.trim()), word = /[\p{L}\p{N}]/u;
    if (!pin.length) { return []; }
    for (var fold = 0; fold < 2; fold++) {
      var same = function (a, b) { return fold ? a.toLowerCase() === b.toLowerCase() : a === b; };
      var out = [];
      for (var i = 0; i + pin.length <= cps.length; i++) {
        var k = 0;
        while (k < pin.length && same(cps[i + k], pin[k])) { k++; }
        var end = i + pin.length;
        if (k === pin.length && !(i > 0 && word.test(cps[i - 1]))
            && !(end < cps.length && word.test(cps[end]))) { out.push([i, end]); }
      }
      if (out.length) { return out; }
    }
    return [];
  }

  var SEARCHED = {text: true, names: true, room_type: true}; // never dates or numbers
  var shown = {}; // base -> the value and note the server rendered

  // A value typed (not selected): say where the text writes it, before anything is saved.
  function search(form, base, kind) {
    var note = document.getElementById("ev-" + base), ev = form.elements.namedItem(base + ".ev");
    var target = form.elements.namedItem(kind === "price" ? base + ".amount" : base);
    if (!note || !target || (ev && ev.value)) { return; } // a selection is the reviewer's word
    var value = target.value.trim(), before = shown[base];
    if (before && value === before.value) {
      note.innerHTML = before.html; note.dataset.how = before.how; return;
    }
    if (!value) { tell(form, note, "", null); return; }
    if (!SEARCHED[kind]) { tell(form, note, "missing", null); return; }
    var found = [];
    var parts = kind === "names" ? value.split("\n") : [value];
    for (var n = 0; n < parts.length; n++) {
      if (!parts[n].trim()) { continue; }
      var got = occurrences(parts[n]);
      if (!got.length) { tell(form, note, "missing", null); return; }
      found = found.concat(got);
    }
    var cps = points();
    tell(form, note, "found", found.map(function (r) { return cps.slice(r[0], r[1]).join(""); })
      .join(" \u2026 "));
  }

  function setFromSelection(form, button) {
    var base = button.dataset.for, kind = button.dataset.kind;
    var note = document.getElementById("ev-" + base);
    if (!chosen) {
      note.textContent = form.dataset.tSelectFirst;
      note.dataset.how = "missing";
      return;
    }
    var words = points().slice(chosen.start, chosen.end).join("");
    var ev = form.elements.namedItem(base + ".ev");
    var target = form.elements.namedItem(kind === "price" ? base + ".amount" : base);
    var range = chosen.start + "-" + chosen.end;
    if (kind === "names") {
      // a second name adds to the list, with its own range
      var names = target.value.split("\n").filter(function (n) { return n.trim(); });
      if (names.indexOf(words.trim()) < 0) { names.push(words.replace(/\s+/g, " ").trim()); }
      target.value = names.join("\n");
      ev.value = ev.value && ev.value.split(",").indexOf(range) < 0 ? ev.value + "," + range : range;
    } else {
      var value = valueOf(kind, words);
      if (value !== null && target) { target.value = value; }
      ev.value = range;
    }
    var implied = form.elements.namedItem(base + ".implied");
    if (implied) { implied.checked = false; }
    if (target) { target.dispatchEvent(new Event("input", {bubbles: true})); }
    tell(form, note, "selected", kind === "names" ? target.value.split("\n").join(" \u2026 ") : words);
    note.dataset.ev = ev.value;
  }

  function start() {
    var panel = document.getElementById("email-text");
    var form = document.getElementById("review-form");
    if (!panel || !form) { return; }
    document.addEventListener("selectionchange", function () { remember(panel); });
    // with this script an unticked "implied" box means "not implied" (api/evidence_form.py)
    var marks = form.querySelectorAll('input[name$=".marks"]');
    for (var k = 0; k < marks.length; k++) { marks[k].value = "1"; }
    form.addEventListener("input", function (event) {
      // a value typed over is the reviewer's own: no longer implied (tick the box again if it is)
      var m = event.target.name ? /^(s\d+\.[a-z_]+)(\.amount|\.currency|\.per)?$/.exec(event.target.name) : null;
      var box = m ? form.elements.namedItem(m[1] + ".implied") : null;
      if (box && box.type === "checkbox") { box.checked = false; }
      var button = m ? form.querySelector('button.set-evidence[data-for="' + m[1] + '"]') : null;
      if (button) { search(form, m[1], button.dataset.kind); }
    });
    var buttons = form.querySelectorAll("button.set-evidence");
    for (var b = 0; b < buttons.length; b++) {
      var base = buttons[b].dataset.for, kind = buttons[b].dataset.kind;
      var note = document.getElementById("ev-" + base);
      var target = form.elements.namedItem(kind === "price" ? base + ".amount" : base);
      if (note && target) { shown[base] = {value: target.value.trim(), html: note.innerHTML, how: note.dataset.how}; }
    }
    form.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button.set-evidence") : null;
      if (button) { event.preventDefault(); setFromSelection(form, button); }
    });
    form.addEventListener("change", function (event) {
      // ticking "implied" says no words state the value: a selection no longer applies
      var m = event.target.name ? /^(s\d+\.[a-z_]+)\.implied$/.exec(event.target.name) : null;
      if (m && event.target.checked) {
        var ev = form.elements.namedItem(m[1] + ".ev");
        if (ev) { ev.value = ""; }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start(); // loaded by review.js after the page was parsed
  }
})();

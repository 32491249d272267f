// The review page's script. Loaded from /static (the CSP allows no inline script); the page
// works without it (Enter then only checks the form on the server), this makes it safe and quick:
//   Ctrl+Enter (Cmd+Enter on a Mac): confirm the form and open the next item.
//   Ctrl+Shift+X: reject the email as not a hotel request and open the next item.
//   Enter in a field does nothing (it never submits).
//   Check-in, check-out, nights: the empty third is computed from the other two.
//   The unsaved form is kept in this tab (sessionStorage): a session that expired mid-edit
//   logs in again back to the item, edits restored.
//   The lease is renewed while the page is open; another reviewer's lease is shown.
"use strict";
(function () {
  var DRAFT = "stayform:draft:";
  var RETURN = "stayform:return";
  var TRIPLE = ["check_in", "check_out", "nights"];

  function store(key, value) {
    try {
      if (value === null) { sessionStorage.removeItem(key); } else { sessionStorage.setItem(key, value); }
    } catch (e) { /* storage off or full: the page still works, without keeping drafts */ }
  }
  function stored(key) {
    try { return sessionStorage.getItem(key); } catch (e) { return null; }
  }

  // --- keyboard ---------------------------------------------------------------------------
  document.addEventListener("keydown", function (event) {
    var form = document.getElementById("review-form");
    if (!form) { return; }
    if (event.ctrlKey || event.metaKey) {
      var button = null;
      if (event.key === "Enter" && !event.shiftKey) {
        button = document.getElementById("confirm");
      } else if (event.shiftKey && (event.key === "X" || event.key === "x")) {
        button = document.getElementById("reject");
      }
      if (button) {
        event.preventDefault();
        form.requestSubmit(button);
      }
      return;
    }
    var target = event.target;
    if (event.key === "Enter" && target && target.tagName === "INPUT" && form.contains(target)) {
      event.preventDefault(); // a browser submits a form on Enter in a text field: never here
    }
  });

  // --- the page's words -------------------------------------------------------------------
  // The item page carries its script's sentences in its language (data-t-* on #item, from the
  // catalogue); "{name}" marks where a value goes. English where a page has none.
  function words(name, english) {
    var item = document.getElementById("item");
    return (item && item.dataset[name]) || english;
  }
  function fill(template, values) {
    return template.split(/(\{[a-z]+\})/).filter(function (p) { return p !== ""; })
      .map(function (p) {
        var m = /^\{([a-z]+)\}$/.exec(p);
        return m && Object.prototype.hasOwnProperty.call(values, m[1]) ? values[m[1]] : p;
      });
  }

  // --- local times ------------------------------------------------------------------------
  // In the browser's zone, written as the page's language writes times (not the browser's).
  function language() { return document.documentElement.lang || undefined; }

  function localTimes() {
    var times = document.querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var when = new Date(times[i].getAttribute("datetime"));
      if (isNaN(when.getTime())) { continue; }
      var withDate = /^\d{4}-/.test(times[i].textContent);
      times[i].textContent = withDate ? when.toLocaleString(language(), {dateStyle: "medium", timeStyle: "short"})
        : when.toLocaleTimeString(language(), {hour: "2-digit", minute: "2-digit"});
      times[i].title = times[i].getAttribute("datetime");
    }
  }

  // --- the date triple --------------------------------------------------------------------
  function field(form, stay, name) { return form.elements.namedItem("s" + stay + "." + name); }

  function derive(form, stay, edited) {
    var marker = field(form, stay, "derived");
    if (!marker) { return; }
    if (edited === marker.value) { marker.value = ""; } // typed over: the reviewer's own now
    var inputs = {};
    TRIPLE.forEach(function (n) { inputs[n] = field(form, stay, n); });
    var open = TRIPLE.filter(function (n) { return !inputs[n].value || n === marker.value; });
    if (open.length !== 1 || open[0] === edited) { return; }
    var name = open[0], day = 86400000, value = "";
    var checkIn = Date.parse(inputs.check_in.value), checkOut = Date.parse(inputs.check_out.value);
    var nights = /^\d+$/.test(inputs.nights.value) ? parseInt(inputs.nights.value, 10) : NaN;
    if (name === "check_out" && !isNaN(checkIn) && !isNaN(nights)) {
      value = new Date(checkIn + nights * day).toISOString().slice(0, 10);
    } else if (name === "check_in" && !isNaN(checkOut) && !isNaN(nights)) {
      value = new Date(checkOut - nights * day).toISOString().slice(0, 10);
    } else if (name === "nights" && !isNaN(checkIn) && !isNaN(checkOut) && checkOut >= checkIn) {
      value = String(Math.round((checkOut - checkIn) / day));
    }
    if (value || marker.value === name) {
      inputs[name].value = value;
      marker.value = value ? name : "";
    }
  }

  // --- drafts -----------------------------------------------------------------------------
  function snapshot(form) {
    var fields = [];
    for (var i = 0; i < form.elements.length; i++) {
      var el = form.elements[i];
      if (el.name && el.name !== "csrf" && el.name !== "version" && el.name !== "action") {
        fields.push([el.name, el.type === "checkbox" ? (el.checked ? "1" : "") : el.value]);
      }
    }
    return fields;
  }

  function keepDraft(item, form) {
    store(DRAFT + item.dataset.item, JSON.stringify({version: item.dataset.version, fields: snapshot(form)}));
    store(RETURN, "/review/" + item.dataset.item);
  }

  function restoreDraft(item, form) {
    var raw = stored(DRAFT + item.dataset.item);
    if (!raw) { return false; }
    var draft;
    try { draft = JSON.parse(raw); } catch (e) { return false; }
    var stays = form.elements.namedItem("stays");
    var same = draft.fields.some(function (f) { return f[0] === "stays" && stays && f[1] === stays.value; });
    if (draft.version !== item.dataset.version || !same) {
      store(DRAFT + item.dataset.item, null); // saved since, or a different form: not ours to restore
      return false;
    }
    var changed = false;
    draft.fields.forEach(function (f) {
      var el = form.elements.namedItem(f[0]);
      if (el && el.type === "checkbox") { // the "implied" boxes keep whether they are ticked
        if (el.checked !== (f[1] === "1")) { el.checked = f[1] === "1"; changed = true; }
      } else if (el && el.value !== f[1]) { el.value = f[1]; changed = true; }
    });
    return changed;
  }

  function forgetOtherDrafts(itemId) {
    // logged in on an item page: drafts of other items were saved or given up
    try {
      for (var i = sessionStorage.length - 1; i >= 0; i--) {
        var key = sessionStorage.key(i);
        if (key && key.indexOf(DRAFT) === 0 && key !== DRAFT + itemId) { sessionStorage.removeItem(key); }
      }
    } catch (e) { /* no storage */ }
  }

  // --- notices and the lease --------------------------------------------------------------
  function say(html) {
    var box = document.getElementById("live-notice");
    if (!box) { return; }
    box.hidden = !html;
    box.textContent = "";
    if (html) { box.appendChild(html); }
  }

  function text(parts) {
    var span = document.createElement("span");
    parts.forEach(function (p) {
      if (typeof p === "string") { span.appendChild(document.createTextNode(p)); } else { span.appendChild(p); }
    });
    return span;
  }

  function renewLease(item) {
    fetch("/review/" + item.dataset.item + "/lease", {
      method: "POST", credentials: "same-origin", headers: {"X-CSRF-Token": item.dataset.csrf}
    }).then(function (response) {
      if (response.status === 401 || response.status === 403) {
        var link = document.createElement("a");
        link.href = "/review";
        link.textContent = words("tLogIn", "Log in again");
        say(text([words("tEnded", "Your session has ended. Your edits are kept in this tab."), " ", link, "."]));
        return null;
      }
      return response.ok ? response.json() : null;
    }).then(function (state) {
      if (!state) { return; }
      if (state.holder) {
        var bold = document.createElement("b");
        bold.textContent = state.holder;
        var until = new Date(state.until).toLocaleTimeString(language(), {hour: "2-digit", minute: "2-digit"});
        say(text(fill(words("tHolds", "{holder} holds this item until {time}."), {holder: bold, time: until})));
      } else if (String(state.version) !== item.dataset.version) {
        say(text(fill(words("tChanged", "This item changed (version {n}). Your edits are kept; saving will say what changed."),
          {n: String(state.version)})));
      } else {
        say(null);
      }
    }).catch(function () { /* offline for a moment: the next renewal tries again */ });
  }

  // --- focus and evidence -----------------------------------------------------------------
  function fieldOf(el) {
    var m = el && el.name ? /^s\d+\.([a-z_]+)/.exec(el.name) : null;
    return m ? m[1] : null;
  }

  function light(name, on) {
    var marks = document.querySelectorAll('mark[data-field="' + name + '"]');
    for (var i = 0; i < marks.length; i++) { marks[i].classList.toggle("lit", on); }
    var row = document.querySelector('tr[data-row="' + name + '"]');
    if (row) { row.classList.toggle("lit", on); }
  }

  function firstToFix(form) {
    return form.querySelector('[aria-invalid="true"]')
      || form.querySelector("tr.flagged input, tr.flagged select, tr.flagged textarea")
      || form.querySelector("tbody input, tbody select, tbody textarea");
  }

  function copyButton() {
    var button = document.getElementById("copy-followup");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var source = document.getElementById(button.dataset.copy);
      var status = document.getElementById("copy-status");
      var done = function () { status.textContent = words("tCopied", "Copied."); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(source.value).then(done, function () {
          source.select();
          status.textContent = document.execCommand("copy") ? words("tCopied", "Copied.")
            : words("tCopyByHand", "Select the text and copy it.");
        });
      } else {
        source.select();
        if (document.execCommand("copy")) { done(); }
      }
    });
  }

  function loginPage() {
    var next = document.getElementById("next-path");
    var back = stored(RETURN);
    if (next && back && stored(DRAFT + back.slice("/review/".length))) {
      next.value = back;
    }
  }

  function itemPage(item) {
    var form = document.getElementById("review-form");
    var evidence = document.createElement("script"); // evidence editing (evidence.js)
    evidence.src = "/static/evidence.js";
    document.head.appendChild(evidence);
    forgetOtherDrafts(item.dataset.item);
    if (item.dataset.posted === "true") {
      keepDraft(item, form); // a refused save shows the reviewer's own edits: they are the draft now
    } else if (restoreDraft(item, form)) {
      say(text([words("tRestored", "Your unsaved edits are back. Nothing is saved until you confirm.")]));
    }
    form.addEventListener("input", function (event) {
      var m = event.target.name ? /^s(\d+)\.(check_in|check_out|nights)$/.exec(event.target.name) : null;
      if (m) { derive(form, m[1], m[2]); }
      keepDraft(item, form);
    });
    form.addEventListener("focusin", function (event) {
      var name = fieldOf(event.target);
      if (name) { light(name, true); }
    });
    form.addEventListener("focusout", function (event) {
      var name = fieldOf(event.target);
      if (name) { light(name, false); }
    });
    var marks = document.querySelectorAll("mark[data-field]");
    for (var i = 0; i < marks.length; i++) {
      marks[i].addEventListener("mouseenter", function (e) { light(e.target.dataset.field, true); });
      marks[i].addEventListener("mouseleave", function (e) { light(e.target.dataset.field, false); });
    }
    if (document.activeElement === document.body || !document.activeElement) {
      var first = firstToFix(form);
      if (first) { first.focus(); }
    }
    var seconds = parseFloat(item.dataset.renewSeconds || "0");
    if (seconds > 0 && (item.dataset.status === "needs_review" || item.dataset.status === "auto_accepted")) {
      setInterval(function () { renewLease(item); }, seconds * 1000);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    localTimes();
    copyButton();
    var item = document.getElementById("item");
    if (item && document.getElementById("review-form")) {
      itemPage(item);
    }
    if (document.getElementById("login-form")) {
      loginPage();
    }
  });
})();

// Keyboard shortcuts of the review page. Loaded from /static (the CSP allows no inline script).
//   Ctrl+Enter (Cmd+Enter on a Mac): confirm the form and open the next item.
//   Ctrl+Shift+X: reject the email as not a hotel request and open the next item.
"use strict";
document.addEventListener("keydown", function (event) {
  var form = document.getElementById("review-form");
  if (!form || !(event.ctrlKey || event.metaKey)) {
    return;
  }
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
});

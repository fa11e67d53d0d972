// Where focus goes when a page opens after a form or an action (no inline script: CSP).
// - A form came back with errors: focus its error summary (templates/bootstrap5/errors.html),
//   or the first invalid field when a form has no summary.
// - An action redirected here with a message (RSVP, signing, saving): focus the message.
// A link in the summary moves focus to its field (the first choice of a group of choices).
(function () {
  "use strict";

  function focusFirstProblem(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); return true; }
    var invalid = root.querySelector("[aria-invalid='true']");
    if (invalid) { invalid.focus(); return true; }
    return false;
  }

  function fieldFor(id) {
    return document.getElementById(id) || document.querySelector("[id^='" + id + "_'] input, input[id^='" + id + "_']");
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-error-summary] a[href^='#']") : null;
    if (!link) return;
    var field = fieldFor(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) return;
    event.preventDefault();
    field.scrollIntoView({ block: "center" });
    field.focus();
  });

  function onLoad() {
    if (focusFirstProblem(document)) return;
    var messages = document.querySelector("[data-messages]");
    if (messages) messages.focus();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onLoad);
  else onLoad();
  // Opening an address with a #fragment (the RSVP comes back to #rsvp) scrolls to it once
  // the page has loaded and drops focus to the page: set it again then.
  window.addEventListener("load", function () {
    setTimeout(function () {
      if (!document.activeElement || document.activeElement === document.body) onLoad();
    }, 0);
  });

  // Forms swapped in by htmx (the agenda editor) come back the same way.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail && event.detail.target) focusFirstProblem(event.detail.target);
  });
})();

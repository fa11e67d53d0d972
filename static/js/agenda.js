// Agenda editor: keep keyboard focus across htmx swaps, drag-and-drop reordering, and
// confirmation of destructive plain forms. The server renders everything; this only helps.
(function () {
  "use strict";
  var focusKey = null;

  // Remember which button had focus, so after the editor is re-rendered the same control
  // (on the moved item) has focus again and keyboard users keep their place.
  document.addEventListener("htmx:beforeRequest", function () {
    var active = document.activeElement;
    focusKey = active && active.dataset ? active.dataset.focusKey || null : null;
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!focusKey) {
      // An edit form just opened: put the cursor in its first field.
      var field = document.querySelector('#agenda-editor form[id^="agenda-edit-"] input[type="text"]');
      if (field) { field.focus(); }
      return;
    }
    var parts = focusKey.split("-");
    var other = (parts[0] === "up" ? "down-" : "up-") + parts.slice(1).join("-");
    var target = document.querySelector('[data-focus-key="' + focusKey + '"]') ||
      document.querySelector('[data-focus-key="' + other + '"]');
    if (target) { target.focus(); }
    focusKey = null;
  });

  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  }, true);

  // --- Drag and drop (mouse); the move buttons do the same by keyboard. ---
  var dragged = null;

  document.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest("[data-agenda-list] > li[draggable=true]");
    if (!item) { return; }
    dragged = item;
    item.classList.add("opacity-50");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.itemId);
  });

  document.addEventListener("dragover", function (event) {
    if (!dragged) { return; }
    var over = event.target.closest && event.target.closest("[data-agenda-list] > li");
    if (!over || over === dragged || over.parentNode !== dragged.parentNode) { return; }
    event.preventDefault();
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    over.parentNode.insertBefore(dragged, after ? over.nextSibling : over);
  });

  document.addEventListener("drop", function (event) {
    if (dragged) { event.preventDefault(); }
  });

  document.addEventListener("dragend", function () {
    if (!dragged) { return; }
    var list = dragged.parentNode;
    dragged.classList.remove("opacity-50");
    dragged = null;
    var ids = Array.prototype.map.call(list.querySelectorAll(":scope > li[data-item-id]"), function (li) {
      return li.dataset.itemId;
    });
    var form = document.querySelector("[data-agenda-reorder]");
    if (!form) { return; }
    form.querySelector('input[name="order"]').value = ids.join(",");
    if (window.htmx) { window.htmx.trigger(form, "submit"); } else { form.submit(); }
  });
})();

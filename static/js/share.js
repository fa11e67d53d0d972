// "Copy link" buttons: <button data-copy-target="input-id">, status in [data-copy-status].
(function () {
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.querySelector('[data-copy-status="' + input.id + '"]');
    var done = function () { if (status) status.textContent = button.getAttribute("data-copied-text"); };
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () { document.execCommand("copy"); done(); });
    } else {
      document.execCommand("copy");
      done();
    }
  });
})();

// Live meeting view: ticks the countdown of the current agenda item from the server's
// timestamps (so a reload carries on) and keeps keyboard focus across htmx refreshes.
(function () {
  "use strict";
  var focusKey = null;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function label(seconds) {
    var sign = seconds < 0 ? "-" : "";
    seconds = Math.abs(seconds);
    return sign + pad(Math.floor(seconds / 60)) + ":" + pad(seconds % 60);
  }

  function tick() {
    var clocks = document.querySelectorAll("[data-countdown]");
    Array.prototype.forEach.call(clocks, function (clock) {
      var now = Date.now() / 1000;
      if (!clock.dataset.skew) {
        // Difference between this device's clock and the server's, fixed at render time.
        clock.dataset.skew = String(now - Number(clock.dataset.now));
      }
      var remaining = Math.round(Number(clock.dataset.ends) - (now - Number(clock.dataset.skew)));
      clock.textContent = label(remaining);
      var over = remaining < 0;
      clock.classList.toggle("text-danger", over);
      if (over && !clock.dataset.announced) {
        clock.dataset.announced = "1";
        var status = document.getElementById("live-status");
        if (status) { status.textContent = clock.dataset.overText || "Time is up for this item."; }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    window.setInterval(tick, 1000);
  });
  document.addEventListener("htmx:afterSettle", tick);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var active = document.activeElement;
    var key = active && active.dataset ? active.dataset.focusKey || null : null;
    // Polling requests must not forget what the person is doing.
    if (key || !event.detail.requestConfig || event.detail.requestConfig.verb !== "get") {
      focusKey = key;
    }
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!focusKey) { return; }
    var target = document.querySelector('[data-focus-key="' + focusKey + '"]');
    if (target && !target.disabled) { target.focus(); }
    else {
      var heading = document.getElementById("live-now");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    }
    focusKey = null;
  });
})();

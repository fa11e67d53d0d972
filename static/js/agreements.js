// Print button on the signed-agreement page (no inline scripts: CSP).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print-page]")) {
    window.print();
  }
});

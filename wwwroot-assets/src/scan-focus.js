// Keeps the scan field ready from the moment the page is shown, before the app's scripts have loaded: a
// keyboard-wedge scanner "types" the code and Enter, so a key pressed while no other field has focus goes to the
// scan field instead of being lost (a scan right after a page opens arrives whole).
document.addEventListener("keydown", (event) => {
  const active = document.activeElement;
  const typing = active && (active.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(active.tagName));
  if (typing || event.ctrlKey || event.metaKey || event.altKey || event.key.length !== 1) return;
  document.querySelector("[data-testid=scan-input]")?.focus({ preventScroll: true });
}, true);

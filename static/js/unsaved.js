// Warn before leaving an edit form with unsaved changes; the forms work without it.
(() => {
  for (const form of document.querySelectorAll("form[data-unsaved-warning]")) {
    let dirty = false;
    form.addEventListener("input", () => { dirty = true; });
    form.addEventListener("submit", () => { dirty = false; });
    window.addEventListener("beforeunload", (event) => {
      if (dirty) event.preventDefault();
    });
  }
})();

// Small progressive enhancements; every page works without them.
document.addEventListener("change", (event) => {
  const form = event.target.closest("form[data-autosubmit]");
  if (form && event.target.matches("select")) form.requestSubmit();
});

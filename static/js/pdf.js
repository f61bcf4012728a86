// The job page of a PDF button: once the status says the PDF is ready (at once, or after
// htmx polled the status fragment), start its download, one time. The "PDF downloaden" link
// stays for when this script does not run or the browser blocks the download.
(() => {
  function startDownload(root) {
    const link =
      root && root.matches && root.matches("[data-auto-download]")
        ? root
        : root && root.querySelector && root.querySelector("[data-auto-download]");
    if (!link) return;
    const url = link.getAttribute("data-auto-download");
    link.removeAttribute("data-auto-download");
    // A reload or a way back to this page must not download again.
    const here = new URL(window.location.href);
    if (here.searchParams.has("download")) {
      here.searchParams.delete("download");
      window.history.replaceState(window.history.state, "", here);
    }
    window.location.assign(url);
  }

  document.addEventListener("DOMContentLoaded", () => startDownload(document));
  document.addEventListener("htmx:load", (event) => startDownload(event.detail.elt));
})();

// A small rich-text editor over every <textarea data-richtext> (apps/core/widgets.py).
// Progressive enhancement: the textarea stays the form field, hidden, and holds the editor's
// HTML; the server sanitises whatever it receives. Without this script the textarea is edited
// as plain paragraphs, as before. No inline style anywhere: the CSP is 'self' only.
(() => {
  "use strict";

  // The same test as apps/beleidsvoorstellen/text.py: a value without tags is plain text.
  const TAG = /<[a-zA-Z/][^>]*>/;
  // What apps/core/richtext.py keeps; <b>, <i> and <div> (Chromium's own markup) are renamed.
  const KEEP = new Set(["P", "BR", "STRONG", "EM", "U", "UL", "OL", "LI", "H3", "H4",
    "BLOCKQUOTE", "A"]);
  const RENAME = { B: "STRONG", I: "EM", DIV: "P" };
  const DROP = new Set(["SCRIPT", "STYLE", "TEMPLATE", "IFRAME", "OBJECT", "EMBED", "SVG",
    "MATH", "HEAD", "TITLE", "NOSCRIPT", "TEXTAREA", "SELECT", "BUTTON"]);
  const BLOCKS = new Set(["P", "UL", "OL", "H3", "H4", "BLOCKQUOTE"]);
  const SAFE_URL = /^(https?:|mailto:)/i;

  let editors = 0;

  // Copies the allowed part of source's children into target, as new nodes of this document.
  function cleanInto(target, source) {
    for (const node of source.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        // Chromium types a space next to formatting as &nbsp;; HTML needs none of them.
        target.append(node.data.replace(/\u00a0/g, " "));
        continue;
      }
      if (node.nodeType !== Node.ELEMENT_NODE) continue;
      const name = RENAME[node.nodeName] || node.nodeName;
      if (DROP.has(name)) continue;
      // Chromium sometimes nests a list in a paragraph; HTML would split it into empty ones.
      const blockInParagraph = name === "P"
        && [...node.children].some((child) => BLOCKS.has(child.nodeName));
      if (!KEEP.has(name) || blockInParagraph) {
        cleanInto(target, node);
        continue;
      }
      const element = document.createElement(name);
      if (name === "A") {
        const href = (node.getAttribute("href") || "").trim();
        if (SAFE_URL.test(href)) element.setAttribute("href", href);
        if (node.hasAttribute("title")) element.setAttribute("title", node.getAttribute("title"));
      }
      cleanInto(element, node);
      target.append(element);
    }
  }

  // Plain text as Django's linebreaks filter reads it: a blank line starts a new paragraph.
  function paragraphs(text) {
    const fragment = document.createDocumentFragment();
    for (const block of text.replace(/\r\n?/g, "\n").trim().split(/\n\s*\n/)) {
      if (!block.trim()) continue;
      const p = document.createElement("p");
      block.trim().split("\n").forEach((line, index) => {
        if (index) p.append(document.createElement("br"));
        p.append(line);
      });
      fragment.append(p);
    }
    return fragment;
  }

  function contentFor(value) {
    if (!TAG.test(value)) return paragraphs(value);
    // An inert document: nothing in it loads or runs while it is read. The value is the
    // server's sanitised HTML or this editor's own output; markup with inline styles or
    // handlers would have the CSP refuse them (and log it), nothing more.
    const parsed = new DOMParser().parseFromString(value, "text/html");
    const fragment = document.createDocumentFragment();
    cleanInto(fragment, parsed.body);
    return fragment;
  }

  // The editor's HTML, cleaned, with text outside a block (typed into an empty editor, say)
  // put in a paragraph, as the server does with plain text.
  function serialise(editor) {
    if (!editor.textContent.trim()) return "";
    const cleaned = document.createElement("div");
    cleanInto(cleaned, editor);
    const holder = document.createElement("div");
    let paragraph = null;
    for (const node of [...cleaned.childNodes]) {
      if (node.nodeType === Node.ELEMENT_NODE && BLOCKS.has(node.nodeName)) {
        paragraph = null;
        holder.append(node);
      } else {
        if (!paragraph) {
          if (!node.textContent.trim()) continue;
          paragraph = holder.appendChild(document.createElement("p"));
        }
        paragraph.append(node);
      }
    }
    return holder.innerHTML;
  }

  function labelsOf(textarea) {
    const data = textarea.dataset;
    return {
      toolbar: data.richtextToolbar || "Opmaak",
      bold: data.richtextBold || "Vet",
      italic: data.richtextItalic || "Cursief",
      bullets: data.richtextBullets || "Opsomming",
      numbers: data.richtextNumbers || "Genummerde lijst",
      heading: data.richtextHeading || "Tussentitel",
      link: data.richtextLink || "Link",
      linkPrompt: data.richtextLinkPrompt || "Adres van de link (https://…)",
      undo: data.richtextUndo || "Ongedaan maken",
    };
  }

  function enhance(textarea) {
    editors += 1;
    const labels = labelsOf(textarea);
    const selection = document.getSelection();
    const editor = document.createElement("div");
    editor.id = `${textarea.id || `richtext-${editors}`}-editor`;
    editor.className = "form-control richtext-editor";
    if (textarea.classList.contains("is-invalid")) editor.classList.add("is-invalid");
    editor.contentEditable = "true";
    editor.spellcheck = true;
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    for (const name of ["aria-describedby", "aria-invalid"]) {
      if (textarea.hasAttribute(name)) editor.setAttribute(name, textarea.getAttribute(name));
    }
    // A hidden required field cannot show the browser's message; the server checks instead.
    if (textarea.required) {
      editor.setAttribute("aria-required", "true");
      textarea.required = false;
    }

    // The field's label names the editor now; the hidden textarea keeps no label, so there is
    // one control called "Tekst van het voorstel", not two.
    const label = textarea.labels && textarea.labels[0];
    if (label) {
      label.id = label.id || `${editor.id}-label`;
      label.removeAttribute("for");
      label.addEventListener("click", () => editor.focus());
      editor.setAttribute("aria-labelledby", label.id);
    }
    editor.replaceChildren(contentFor(textarea.value));

    // The selection in the editor, kept for when a toolbar button has taken the focus.
    let saved = null;
    const inEditor = (node) => node && editor.contains(node);
    function restore() {
      if (document.activeElement !== editor) editor.focus();
      if (saved && !inEditor(selection.anchorNode)) {
        selection.removeAllRanges();
        selection.addRange(saved);
      }
    }
    function closest(name) {
      let node = selection.anchorNode;
      if (!inEditor(node)) return null;
      if (node.nodeType !== Node.ELEMENT_NODE) node = node.parentElement;
      const found = node.closest(name);
      return found && editor.contains(found) ? found : null;
    }

    let changed = false;
    function sync() {
      changed = true;
      textarea.value = serialise(editor);
      // unsaved.js listens for input on the form to warn about unsaved changes.
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function link() {
      const current = closest("a");
      if (current) {
        const range = document.createRange();
        range.selectNodeContents(current);
        selection.removeAllRanges();
        selection.addRange(range);
        document.execCommand("unlink");
        return;
      }
      const kept = saved;
      let address = (window.prompt(labels.linkPrompt, "https://") || "").trim();
      if (!address || address === "https://") return;
      if (!/^[a-z][a-z0-9+.-]*:/i.test(address)) address = `https://${address}`;
      if (!SAFE_URL.test(address)) return;
      saved = kept;
      restore();
      document.execCommand("createLink", false, address);
    }

    const buttons = [
      { label: labels.bold, run: () => document.execCommand("bold"),
        pressed: () => document.queryCommandState("bold"), className: "richtext-bold",
        shortcut: "Control+B" },
      { label: labels.italic, run: () => document.execCommand("italic"),
        pressed: () => document.queryCommandState("italic"), className: "richtext-italic",
        shortcut: "Control+I" },
      { label: labels.bullets, run: () => document.execCommand("insertUnorderedList"),
        pressed: () => Boolean(closest("ul")) },
      { label: labels.numbers, run: () => document.execCommand("insertOrderedList"),
        pressed: () => Boolean(closest("ol")) },
      { label: labels.heading,
        run: () => document.execCommand("formatBlock", false, closest("h3") ? "p" : "h3"),
        pressed: () => Boolean(closest("h3")) },
      { label: labels.link, run: link, pressed: () => Boolean(closest("a")) },
      { label: labels.undo, run: () => document.execCommand("undo") },
    ];

    const toolbar = document.createElement("div");
    toolbar.className = "richtext-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", labels.toolbar);
    toolbar.setAttribute("aria-controls", editor.id);
    for (const [index, spec] of buttons.entries()) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-sm";
      if (spec.className) button.classList.add(spec.className);
      // The visible word is the accessible name; an aria-label repeating it would also make
      // the button a "label" for "Titel" (inside "Tussentitel") to get_by_label and the like.
      button.textContent = spec.label;
      if (spec.shortcut) button.setAttribute("aria-keyshortcuts", spec.shortcut);
      if (spec.pressed) button.setAttribute("aria-pressed", "false");
      button.tabIndex = index === 0 ? 0 : -1;
      // Keep the focus, and so the selection, in the text when the mouse presses a button.
      button.addEventListener("mousedown", (event) => event.preventDefault());
      button.addEventListener("click", () => {
        restore();
        spec.run();
        update();
      });
      spec.button = button;
      toolbar.append(button);
    }

    // Arrow keys move between the buttons; Tab leaves the toolbar (one tab stop).
    toolbar.addEventListener("keydown", (event) => {
      const all = buttons.map((spec) => spec.button);
      const at = all.indexOf(document.activeElement);
      const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: all.length - 1 }[
        event.key];
      if (at < 0 || to === undefined) return;
      event.preventDefault();
      const next = all[(to + all.length) % all.length];
      for (const button of all) button.tabIndex = button === next ? 0 : -1;
      next.focus();
    });

    function update() {
      if (!inEditor(selection.anchorNode)) return;
      saved = selection.getRangeAt(0).cloneRange();
      for (const spec of buttons) {
        if (spec.pressed) spec.button.setAttribute("aria-pressed", String(spec.pressed()));
      }
    }
    document.addEventListener("selectionchange", update);

    editor.addEventListener("input", () => {
      sync();
      update();
    });
    editor.addEventListener("keydown", (event) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const command = { b: "bold", i: "italic" }[event.key.toLowerCase()];
      if (!command) return;
      event.preventDefault();
      document.execCommand(command);
      update();
    });
    // Pasted and dropped text comes in as plain text, so no markup from a word processor.
    editor.addEventListener("paste", (event) => {
      event.preventDefault();
      document.execCommand("insertText", false, event.clipboardData.getData("text/plain"));
    });
    editor.addEventListener("drop", (event) => {
      event.preventDefault();
      const range = document.caretRangeFromPoint(event.clientX, event.clientY);
      if (range) {
        selection.removeAllRanges();
        selection.addRange(range);
      }
      document.execCommand("insertText", false, event.dataTransfer.getData("text/plain"));
    });
    // The form posts what the editor shows, even if an edit fired no input event.
    if (textarea.form) {
      textarea.form.addEventListener("submit", () => {
        if (changed) textarea.value = serialise(editor);
      });
    }

    const wrapper = document.createElement("div");
    wrapper.className = "richtext";
    wrapper.append(toolbar, editor);
    textarea.classList.add("d-none");
    textarea.after(wrapper);
  }

  document.execCommand("defaultParagraphSeparator", false, "p");
  for (const textarea of document.querySelectorAll("textarea[data-richtext]")) {
    enhance(textarea);
  }
})();

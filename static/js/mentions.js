// @mention suggestions in comment textareas (those with data-mentions-url).
// Typing "@" and a few letters lists the municipality's matching members; arrows move through
// the list, Enter or Tab inserts "@handle ", Escape closes it, a click picks one. Without this
// script a comment still works: the handle is typed by hand.
(() => {
  "use strict";

  const MAX_SHOWN = 8;
  const members = new Map(); // url -> Promise of [{handle, name}]
  let counter = 0;

  function load(url) {
    if (!members.has(url)) {
      members.set(
        url,
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then((response) => (response.ok ? response.json() : []))
          .catch(() => []),
      );
    }
    return members.get(url);
  }

  // The "@query" just before the caret, or null.
  function mentionAt(textarea) {
    const before = textarea.value.slice(0, textarea.selectionStart);
    const match = /(^|[^\w.])@([\w.+-]*)$/u.exec(before);
    if (!match) return null;
    return { query: match[2].toLowerCase(), start: before.length - match[2].length - 1 };
  }

  function matches(list, query) {
    return list
      .filter(
        (member) =>
          member.handle.toLowerCase().startsWith(query) ||
          member.name.toLowerCase().split(/\s+/u).some((word) => word.startsWith(query)) ||
          member.name.toLowerCase().startsWith(query),
      )
      .slice(0, MAX_SHOWN);
  }

  function setUp(textarea) {
    counter += 1;
    const listbox = document.createElement("ul");
    listbox.id = `mention-suggesties-${counter}`;
    listbox.className = "mention-listbox list-unstyled";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", textarea.dataset.mentionsLabel || "Leden om te vermelden");
    listbox.hidden = true;
    const wrapper = document.createElement("div");
    wrapper.className = "mention-wrapper";
    textarea.parentNode.insertBefore(wrapper, textarea);
    wrapper.appendChild(textarea);
    wrapper.appendChild(listbox);

    // A combobox that is a textarea: aria-expanded and aria-activedescendant are the
    // combobox's, which a plain textbox may not carry.
    textarea.setAttribute("role", "combobox");
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", listbox.id);
    textarea.setAttribute("aria-expanded", "false");

    let options = [];
    let active = -1;
    let mention = null;

    function close() {
      listbox.hidden = true;
      listbox.replaceChildren();
      options = [];
      active = -1;
      mention = null;
      textarea.setAttribute("aria-expanded", "false");
      textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      Array.from(listbox.children).forEach((item, i) => {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
        item.classList.toggle("active", i === index);
      });
      if (index >= 0) {
        const item = listbox.children[index];
        textarea.setAttribute("aria-activedescendant", item.id);
        item.scrollIntoView({ block: "nearest" });
      } else {
        textarea.removeAttribute("aria-activedescendant");
      }
    }

    function insert(member) {
      if (!mention) return;
      const caret = textarea.selectionStart;
      const value = textarea.value;
      const text = `@${member.handle} `;
      textarea.value = value.slice(0, mention.start) + text + value.slice(caret);
      const position = mention.start + text.length;
      textarea.setSelectionRange(position, position);
      close();
      textarea.focus();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function show(found) {
      listbox.replaceChildren();
      options = found;
      found.forEach((member, index) => {
        const item = document.createElement("li");
        item.id = `${listbox.id}-${index}`;
        item.className = "mention-option";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        const name = document.createElement("span");
        name.textContent = member.name;
        const handle = document.createElement("span");
        handle.className = "mention-handle";
        handle.textContent = ` @${member.handle}`;
        item.append(name, handle);
        // mousedown, not click: the textarea keeps its focus and its caret.
        item.addEventListener("mousedown", (event) => {
          event.preventDefault();
          insert(member);
        });
        listbox.appendChild(item);
      });
      if (found.length) {
        listbox.hidden = false;
        textarea.setAttribute("aria-expanded", "true");
        highlight(0);
      } else {
        close();
      }
    }

    async function update() {
      const found = mentionAt(textarea);
      if (!found) {
        close();
        return;
      }
      const list = await load(textarea.dataset.mentionsUrl);
      // The text may have changed while the list loaded.
      const now = mentionAt(textarea);
      if (!now || now.start !== found.start || now.query !== found.query) return;
      mention = now;
      show(matches(list, now.query));
    }

    textarea.addEventListener("input", update);
    textarea.addEventListener("click", update);
    textarea.addEventListener("blur", close);
    textarea.addEventListener("keydown", (event) => {
      if (listbox.hidden || !options.length) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight((active - 1 + options.length) % options.length);
      } else if (event.key === "Enter" || event.key === "Tab") {
        if (active >= 0) {
          event.preventDefault();
          insert(options[active]);
        }
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
  }

  function init() {
    document.querySelectorAll("textarea[data-mentions-url]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

// patscape's keyboard for evaluators: on a queue and on a document opened from it, 0-3 rate and open the
// next document, j/k move, t/c go to the tag and comment fields, ? lists the shortcuts, Esc leaves a field.
// Everything it does is also a link or a form on the page: without this script the pages still work.
"use strict";

(function () {
  const typing = (el) => el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));

  function showShortcuts() {
    const dialog = document.getElementById("shortcuts");
    if (dialog && !dialog.open) dialog.showModal();
  }

  function documentPage(root) {
    const form = document.getElementById("rate-form");
    const reason = document.getElementById("rating-comment");
    const go = (id) => {
      const link = document.getElementById(id);
      if (link) window.location.assign(link.href);
    };
    if (root.dataset.preset === "3" && reason) reason.focus();
    return (key) => {
      if ("0123".includes(key) && form) {
        if (key === "3" && reason && !reason.value.trim()) {
          reason.focus();
          reason.setAttribute("aria-invalid", "true");
          return true;
        }
        form.requestSubmit(form.querySelector(`button[name="level"][value="${key}"]`));
      } else if (key === "j") go("next-doc");
      else if (key === "k") go("previous-doc");
      else if (key === "t") document.getElementById("tag-input")?.focus();
      else if (key === "c") document.getElementById("comment-text")?.focus();
      else return false;
      return true;
    };
  }

  function queuePage(root) {
    const rows = Array.from(root.querySelectorAll("tbody tr[data-key]"));
    const form = document.getElementById("queue-rate");
    let at = 0;
    const select = (i) => {
      if (!rows.length) return;
      at = Math.max(0, Math.min(rows.length - 1, i));
      rows.forEach((row, n) => row.classList.toggle("selected", n === at));
      rows[at].querySelector("a")?.focus();
    };
    root.addEventListener("focusin", (event) => {
      const row = event.target.closest("tr[data-key]");
      if (row) select(rows.indexOf(row));
    });
    if (rows.length) rows[0].classList.add("selected");
    return (key) => {
      const row = rows[at];
      if (key === "j") select(at + 1);
      else if (key === "k") select(at - 1);
      else if (!row) return false;
      else if (key === "3") window.location.assign(form.dataset.level3.replace("KEY", encodeURIComponent(row.dataset.key)));
      else if ("012".includes(key)) {
        form.action = form.dataset.action.replace("KEY", encodeURIComponent(row.dataset.key));
        form.elements.level.value = key;
        form.submit();
      } else if (key === "t" || key === "c") window.location.assign(`${row.dataset.href}&focus=${key}`);
      else return false;
      return true;
    };
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-shortcuts]").forEach((b) => b.addEventListener("click", showShortcuts));
    const root = document.querySelector("[data-keyboard]");
    const handle = !root ? () => false : root.dataset.keyboard === "queue" ? queuePage(root) : documentPage(root);
    const focus = new URLSearchParams(window.location.search).get("focus");
    if (focus) handle(focus);
    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (typing(event.target)) {
        if (event.key === "Escape") event.target.blur();
        return;
      }
      if (event.key === "?") showShortcuts();
      else if (event.key.length !== 1 || !handle(event.key)) return;
      event.preventDefault();
    });
    document.documentElement.dataset.keys = "ready";
  });
})();

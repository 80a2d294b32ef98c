// The few behaviours of Overgang's pages that are not htmx attributes. They live in this
// file because the Content-Security-Policy allows no inline script and no onclick="…".
// Each listens on the document, so it also holds for the parts htmx swaps in.
"use strict";

// <input type="checkbox" data-check-all="group">: ticks or unticks every box marked
// data-checked-by="group" (the label sheet's devices of a type).
document.addEventListener("change", (event) => {
  const box = event.target;
  if (box instanceof HTMLInputElement && box.dataset.checkAll) {
    for (const other of document.querySelectorAll(`input[data-checked-by="${CSS.escape(box.dataset.checkAll)}"]`)) {
      other.checked = box.checked;
    }
  }
});

// A choice that applies itself (the language, the depot's unit): <select data-submit-on-change>.
// Without script, the form's <noscript> button does the same.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.matches("[data-submit-on-change]") && field.form) {
    field.form.submit();
  }
});

// <button data-print>: print the page.
document.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest("[data-print]")) {
    window.print();
  }
});

// <input data-search-on-enter hx-trigger="… search">: Enter searches at once instead of
// sending the form the field sits in.
document.addEventListener("keydown", (event) => {
  const field = event.target;
  if (event.key === "Enter" && field instanceof HTMLElement && field.matches("[data-search-on-enter]")) {
    event.preventDefault();
    window.htmx.trigger(field, "search");
  }
});

// A training of a patient who needs an interpreter (O10, 000 9.1: "evt. vurdere behov for
// tolk"): <form data-interpreter-needed>. Without an interpreter ticked and without a reason
// the form is not sent: the warning is marked and the reason field gets the focus; the
// server refuses it too, so this is only a nudge before the form is sent.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.matches("[data-interpreter-needed]")) {
    return;
  }
  const interpreter = form.elements.namedItem("interpreter");
  const reason = form.elements.namedItem("no_interpreter_reason");
  const trainee = form.querySelector("input[name=trainee]:checked");
  const ofPatient = !trainee || trainee.value !== "staff";
  if (!(reason instanceof HTMLTextAreaElement) || !(interpreter instanceof HTMLInputElement)) {
    return;
  }
  if (ofPatient && !interpreter.checked && reason.value.trim() === "") {
    event.preventDefault();
    const warning = form.querySelector(".interpreter-warning");
    if (warning) {
      warning.classList.add("nudged");
      warning.setAttribute("role", "alert");
    }
    reason.closest(".field")?.classList.add("invalid");
    reason.focus();
  }
});

// The header's menu on a phone (base.html): <button class="menu-button" aria-controls="…">
// opens the menu and puts the focus on its first link; the button again, Escape or a click
// outside the header closes it, and Escape brings the focus back to the button. On a wide screen the
// menu always shows and the button is not displayed (app.css).
function setMenu(button, open) {
  button.setAttribute("aria-expanded", String(open));
  const menu = document.getElementById(button.getAttribute("aria-controls") || "");
  if (open && menu) {
    menu.querySelector("a")?.focus();
  }
}

document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const button = target?.closest(".menu-button");
  if (button) {
    setMenu(button, button.getAttribute("aria-expanded") !== "true");
    return;
  }
  // A click in the header (the menu, the language, logging out) leaves the menu open.
  const open = document.querySelector('.menu-button[aria-expanded="true"]');
  if (open && !open.closest("header")?.contains(target)) {
    setMenu(open, false);
  }
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") {
    return;
  }
  const open = document.querySelector('.menu-button[aria-expanded="true"]');
  if (open) {
    setMenu(open, false);
    open.focus();
  }
});

// Exports (docs/exports.md): the "CSV · Excel · Print" links take the list's filters as the
// address bar has them now (a search swapped in by htmx changes it after the page loaded).
// The print view's button is a <button data-print>, printed by the listener above.
document.addEventListener("click", (event) => {
  const target = event.target instanceof Element ? event.target : null;
  const link = target?.closest("a[data-export]");
  if (link instanceof HTMLAnchorElement) {
    const query = new URLSearchParams(window.location.search);
    query.delete("page");
    query.set("format", link.dataset.export || "csv");
    link.href = `${window.location.pathname}?${query.toString()}`;
  }
});

// A refused action (issue 19): its message stands in the form that was sent, and the form
// posted to its own #place, so the page opens there; the message also takes the focus, so
// a screen reader reads it and Tab goes on from it. Otherwise, after a form that came back
// with errors on its fields, the first of those in the #place; otherwise a refusal at the
// top of the page (a form no longer on it, and the other pages' refusals).
const shown = (element) => element instanceof HTMLElement && element.getClientRects().length > 0;

function refusalIn(root, hash) {
  const candidates = [...root.querySelectorAll("[data-refusal]")];
  let place = null;
  try {
    place = hash ? document.getElementById(decodeURIComponent(hash.slice(1))) : null;
  } catch {
    // a #place no form of ours wrote
  }
  if (place) {
    candidates.push(...place.querySelectorAll(".field.invalid .error"));
  }
  candidates.push(...root.querySelectorAll(".error.refusal[role=alert]"));
  return candidates.find(shown);
}

function focusRefusal(message) {
  if (!message) {
    return;
  }
  if (!message.hasAttribute("tabindex")) {
    message.setAttribute("tabindex", "-1");
  }
  message.focus();
}

// Going to the #place moves the focus to it (to <body> where it takes none) once the page
// has loaded: so the message is focused then, unless the user has put the focus elsewhere.
document.addEventListener("DOMContentLoaded", () => focusRefusal(refusalIn(document, window.location.hash)));
window.addEventListener("load", () => {
  window.setTimeout(() => {
    const active = document.activeElement;
    if (!active || active === document.body) {
      focusRefusal(refusalIn(document, window.location.hash));
    }
  }, 0);
});

// A part htmx swaps in with a refusal in it: the same.
document.addEventListener("htmx:afterSettle", (event) => {
  const target = event.detail && event.detail.target;
  if (target instanceof Element && target.isConnected && !target.matches("[data-keep-in-use]")) {
    const message = target.querySelector("[data-refusal]");
    if (shown(message)) {
      focusRefusal(message);
    }
  }
});

// A list that refreshes itself (hx-trigger="every …", marked data-keep-in-use: the
// worklist, the start page's figures) never takes away what the user is working in. The
// new list goes in part by part: a part in use (the focus in it, a form open in it, a field
// typed in) stays as it is, where it is, and everything around it is new. A table, a list,
// a section is gone into; a row, an item, a form, a link is kept or replaced whole. The
// page keeps its scroll position: what the user works in stays where it was on the screen.
const WHOLE = "tr, li, form, details, a, button, input, select, textarea, label, [data-refresh-whole]";
const FIELDS = "input:not([type=hidden]), textarea, select";

function typedIn(field) {
  if (field instanceof HTMLSelectElement) {
    return [...field.options].some((option) => option.selected !== option.defaultSelected);
  }
  if (field instanceof HTMLInputElement && (field.type === "checkbox" || field.type === "radio")) {
    return field.checked !== field.defaultChecked;
  }
  return (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) && field.value !== field.defaultValue;
}

function inUse(node) {
  if (!(node instanceof Element)) {
    return false;
  }
  const active = document.activeElement;
  if (active && active !== document.body && node.contains(active)) {
    return true;
  }
  const open = [...node.querySelectorAll("details[open]")];
  if (node.matches("details[open]")) {
    open.push(node);
  }
  // An open disclosure is in use where it holds a form (a note half written, a choice
  // about to be made); one that only shows text is opened again in the new list instead.
  if (open.some((details) => details.querySelector(FIELDS))) {
    return true;
  }
  const fields = [...node.querySelectorAll(FIELDS)];
  if (node.matches(FIELDS)) {
    fields.push(node);
  }
  return fields.some(typedIn);
}

// Children are matched by id, or else by their tag and place among those without one.
function keys(children) {
  const counted = new Map();
  return children.map((child) => {
    if (child.id) {
      return `#${child.id}`;
    }
    const n = counted.get(child.tagName) || 0;
    counted.set(child.tagName, n + 1);
    return `${child.tagName}:${n}`;
  });
}

function mergeInto(old, fresh) {
  const oldChildren = [...old.children];
  const freshChildren = [...fresh.children];
  const oldKeys = keys(oldChildren);
  const freshKeys = keys(freshChildren);
  const kept = new Map();
  oldChildren.forEach((child, i) => {
    if (!inUse(child)) {
      return;
    }
    const j = freshKeys.indexOf(oldKeys[i]);
    if (j >= 0 && !child.matches(WHOLE)) {
      mergeInto(child, freshChildren[j]);
      for (const { name, value } of freshChildren[j].attributes) {
        child.setAttribute(name, value);
      }
    }
    kept.set(oldKeys[i], child);
  });
  const stay = [...kept.values()];
  for (const node of [...old.childNodes]) {
    if (!stay.includes(node)) {
      node.remove();
    }
  }
  // The new parts go around the kept ones, in the new list's order.
  let next = 0;
  for (const node of [...fresh.childNodes]) {
    if (node instanceof Element) {
      const key = freshKeys[freshChildren.indexOf(node)];
      if (kept.has(key)) {
        const at = stay.indexOf(kept.get(key));
        next = Math.max(next, at + 1);
        continue;
      }
    }
    old.insertBefore(node, stay[next] || null);
  }
}

document.addEventListener("htmx:beforeSwap", (event) => {
  const { target, elt, serverResponse } = event.detail;
  if (!(target instanceof HTMLElement) || target !== elt || !target.matches("[data-keep-in-use][id]")) {
    return;
  }
  if (!event.detail.shouldSwap || event.detail.isError) {
    return;
  }
  const fresh = new DOMParser().parseFromString(serverResponse, "text/html").getElementById(target.id);
  // Whatever else came (the login page, once the session has ended) leaves the list as it
  // is: the next refresh, or the user's next step, says what is wrong.
  event.detail.shouldSwap = false;
  if (!fresh) {
    return;
  }
  const focused = document.activeElement;
  const opened = [...target.querySelectorAll("details[open][id]")].map((details) => details.id);
  const steady = target.contains(focused) ? focused : [...target.querySelectorAll(WHOLE)].find(inUse);
  const before = steady ? steady.getBoundingClientRect().top : 0;
  const [x, y] = [window.scrollX, window.scrollY];
  mergeInto(target, fresh);
  for (const id of opened) {
    const details = document.getElementById(id);
    if (details instanceof HTMLDetailsElement && target.contains(details)) {
      details.open = true;
    }
  }
  window.scrollTo(x, y);
  if (steady && steady.isConnected) {
    window.scrollBy(0, steady.getBoundingClientRect().top - before);
  }
  if (focused instanceof HTMLElement && focused.isConnected && document.activeElement !== focused) {
    focused.focus({ preventScroll: true });
  }
  window.htmx.process(target);
});

// The header's search (web/_header_search.html): ArrowDown goes from the box to the first
// suggestion and on through them, ArrowUp back; Escape closes the suggestions.
document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (!(target instanceof HTMLElement)) {
    return;
  }
  const form = target.closest(".header-search");
  const panel = form?.querySelector("#header-suggestions");
  if (!form || !panel) {
    return;
  }
  if (event.key === "Escape" && panel.childElementCount) {
    panel.replaceChildren();
    form.querySelector("[data-header-search]")?.focus();
    event.preventDefault();
    return;
  }
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") {
    return;
  }
  const links = Array.from(panel.querySelectorAll("a"));
  if (!links.length) {
    return;
  }
  const at = links.indexOf(target);
  const next = event.key === "ArrowDown" ? at + 1 : at - 1;
  event.preventDefault();
  if (next < 0) {
    form.querySelector("[data-header-search]")?.focus();
  } else {
    links[Math.min(next, links.length - 1)].focus();
  }
});

// Suggestions close when the focus moves on to the rest of the page (Tab), or on a click
// elsewhere. (A click on a suggestion may not move the focus, in Safari: it is no focusout.)
document.addEventListener("focusout", (event) => {
  const form = event.target instanceof HTMLElement ? event.target.closest(".header-search") : null;
  const next = event.relatedTarget;
  if (form && next instanceof Node && !form.contains(next)) {
    form.querySelector("#header-suggestions")?.replaceChildren();
  }
});
document.addEventListener("click", (event) => {
  const panel = document.getElementById("header-suggestions");
  if (panel && event.target instanceof Node && !panel.closest(".header-search")?.contains(event.target)) {
    panel.replaceChildren();
  }
});

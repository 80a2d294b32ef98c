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

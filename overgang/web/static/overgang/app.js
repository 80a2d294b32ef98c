// The few behaviours of Overgang's pages that are not htmx attributes. They live in this
// file because the Content-Security-Policy allows no inline script and no onclick="…".
// Each listens on the document, so it also holds for the parts htmx swaps in.
"use strict";

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

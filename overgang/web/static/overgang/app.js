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

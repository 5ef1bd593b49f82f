// A form sends once: on submit its button turns busy ("Saving…", aria-busy) and further
// submits of the form are ignored until the page is shown again. The server's one-time form
// token keeps a double submit from saving twice even without this script.
(function () {
  "use strict";
  var BUSY_TEXT = "Saving\u2026";

  function buttonOf(form, event) {
    return event.submitter || form.querySelector("button[type=submit], input[type=submit], button:not([type])");
  }

  function setBusy(form, button) {
    form.setAttribute("data-busy", "1");
    form.setAttribute("aria-busy", "true");
    if (!button) { return; }
    button.setAttribute("aria-busy", "true");
    button.setAttribute("aria-disabled", "true");
    if (button.tagName === "INPUT") {
      button.setAttribute("data-idle-text", button.value);
      button.value = BUSY_TEXT;
    } else {
      button.setAttribute("data-idle-text", button.innerHTML);
      button.textContent = BUSY_TEXT;
    }
    // Disabled only after the browser has read the form: a disabled submitter would drop
    // its own name and value (e.g. the workflow step) from what is sent.
    window.setTimeout(function () { button.disabled = true; }, 0);
  }

  function restore(form) {
    form.removeAttribute("data-busy");
    form.removeAttribute("aria-busy");
    form.querySelectorAll("[data-idle-text]").forEach(function (button) {
      if (button.tagName === "INPUT") {
        button.value = button.getAttribute("data-idle-text");
      } else {
        button.innerHTML = button.getAttribute("data-idle-text");
      }
      button.removeAttribute("data-idle-text");
      button.removeAttribute("aria-busy");
      button.removeAttribute("aria-disabled");
      button.disabled = false;
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || (form.method || "").toLowerCase() !== "post" ||
        form.hasAttribute("data-no-busy")) {
      return;
    }
    if (form.getAttribute("data-busy") === "1") {
      event.preventDefault(); // a second click while the first submit is on its way
      return;
    }
    if (event.defaultPrevented) { return; } // a script sends it (the upload's progress bar)
    setBusy(form, buttonOf(form, event));
  });

  // Back to a page kept in the back-forward cache: its forms can be used again.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.querySelectorAll("form[data-busy]").forEach(restore);
    }
  });
}());

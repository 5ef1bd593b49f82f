// Evidence upload with a progress bar. Without JavaScript the form posts normally.
(function () {
  "use strict";
  document.querySelectorAll("form.evidence-upload").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var file = form.querySelector("input[type=file]");
      if (!window.XMLHttpRequest || !file || !file.files.length) { return; }
      event.preventDefault();
      var bar = form.querySelector(".upload-progress");
      var status = form.querySelector(".upload-status");
      var button = form.querySelector("button[type=submit]");
      // The words come from the page (data-msg-*), already in the officer's language.
      function say(name, fallback) { return form.getAttribute("data-msg-" + name) || fallback; }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          bar.hidden = false;
          bar.value = Math.round((e.loaded / e.total) * 100);
          status.textContent = say("uploading", "Uploading and encrypting:") + " " + bar.value + " %";
        }
      });
      xhr.addEventListener("load", function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
        if (xhr.status === 201 && body.location) {
          status.textContent = say("received", "Received, sealed and hashed.");
          window.location.assign(body.location);
        } else if (xhr.status === 409 && body.location) {
          // Already evidence of the case: the upload is held; say why to keep both.
          status.textContent = body.error || say("held", "This file is already evidence of the case.");
          window.location.assign(body.location);
        } else {
          button.disabled = false;
          bar.hidden = true;
          status.textContent = say("refused", "Upload refused:") + " " + (body.error || ("HTTP " + xhr.status));
        }
      });
      xhr.addEventListener("error", function () {
        button.disabled = false;
        bar.hidden = true;
        status.textContent = say("interrupted", "The upload was interrupted; nothing was kept. Try again.");
      });
      button.disabled = true;
      xhr.send(new FormData(form));
    });
  });
})();

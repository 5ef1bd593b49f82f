// Progress of an on-demand report: polls its JSON status and opens it when done.
// Without JavaScript the page has a refresh link.
(function () {
  "use strict";
  var box = document.querySelector(".report-progress[data-status-url]");
  if (!box || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  var status = box.querySelector(".report-status");
  var url = box.getAttribute("data-status-url");
  // The words come from the page, in the reader's language.
  function text(name, progress, error) {
    return (box.getAttribute("data-text-" + name) || "")
      .replace("{p}", String(progress)).replace("{e}", error || "");
  }
  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body) { window.setTimeout(poll, 5000); return; }
        if (bar) { bar.value = body.progress; bar.textContent = body.progress + " %"; }
        if (body.status === "done") {
          if (status) { status.textContent = text("ready"); }
          window.location.assign(body.url);
        } else if (body.status === "failed") {
          if (status) { status.textContent = text("failed", 0, body.error || text("unknown")); }
        } else {
          if (status) {
            status.textContent = text(body.status === "queued" ? "queued" : "running", body.progress);
          }
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 500);
}());

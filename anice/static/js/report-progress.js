// Progress of an on-demand report: polls its JSON status and opens it when done.
// Without JavaScript the page has a refresh link.
(function () {
  "use strict";
  var box = document.querySelector(".report-progress[data-status-url]");
  if (!box || !window.fetch) { return; }
  var bar = box.querySelector("progress");
  var status = box.querySelector(".report-status");
  var url = box.getAttribute("data-status-url");
  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (!body) { window.setTimeout(poll, 5000); return; }
        if (bar) { bar.value = body.progress; bar.textContent = body.progress + " %"; }
        if (body.status === "done") {
          if (status) { status.textContent = "Ready: opening the report."; }
          window.location.assign(body.url);
        } else if (body.status === "failed") {
          if (status) { status.textContent = "The report could not be made: " + (body.error || "unknown error"); }
        } else {
          if (status) {
            status.textContent = (body.status === "queued" ? "Waiting for a worker" : "Computing the figures") + ": " + body.progress + " %";
          }
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 500);
}());

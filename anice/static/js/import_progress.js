// Import job progress: poll the JSON status URL, move the bar, reload the page (which
// then shows the report) when the job has ended. Without JavaScript the page has a
// refresh link.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-status]");
  if (!box || !window.fetch) { return; }
  var bar = box.querySelector("[data-import-bar]");
  var text = box.querySelector("[data-import-text]");
  var url = box.getAttribute("data-import-status");
  var failures = 0;

  function describe(s) {
    if (s.status === "queued") { return "Queued: the import starts when a worker is free."; }
    if (s.unit === "bytes" && s.total) {
      return s.percent + " % of the file read" +
        (s.rows ? ", " + s.rows.toLocaleString("en") + " rows" : "") + ".";
    }
    if (s.total) {
      return s.done.toLocaleString("en") + " of " + s.total.toLocaleString("en") +
        " cases (" + s.percent + " %).";
    }
    return "Started.";
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (s) {
        failures = 0;
        if (!s.active) { window.location.reload(); return; }
        bar.value = s.percent;
        text.textContent = describe(s);
        window.setTimeout(poll, 1500);
      })
      .catch(function () {
        failures += 1;
        if (failures < 5) { window.setTimeout(poll, 3000); return; }
        text.textContent = "The progress cannot be read just now; refresh the page later.";
      });
  }
  window.setTimeout(poll, 1000);
})();

// Warn before the idle timeout ends the session, offer "Stay signed in", and say when it
// has ended. The server puts the seconds left in <body data-session-left>; before warning,
// the page asks again (GET, not counted as activity), so work in other tabs is seen.
(function () {
  "use strict";
  var body = document.body;
  var left = parseInt(body.getAttribute("data-session-left"), 10);
  if (isNaN(left) || !window.fetch || !window.HTMLDialogElement) { return; }
  var warnAhead = parseInt(body.getAttribute("data-session-warn"), 10) || 120;
  var statusUrl = body.getAttribute("data-session-status");
  var keepUrl = body.getAttribute("data-session-keepalive");
  var csrf = body.getAttribute("data-csrf");
  var endsAt = Date.now() + left * 1000;
  var timer = null;
  var dialog, title, text, stay, close;

  function build() {
    dialog = document.createElement("dialog");
    dialog.className = "session-dialog";
    dialog.setAttribute("role", "alertdialog");
    dialog.setAttribute("aria-labelledby", "session-dialog-title");
    dialog.setAttribute("aria-describedby", "session-dialog-text");
    title = document.createElement("h2");
    title.id = "session-dialog-title";
    text = document.createElement("p");
    text.id = "session-dialog-text";
    var actions = document.createElement("p");
    actions.className = "session-dialog-actions";
    stay = document.createElement("button");
    stay.type = "button";
    stay.className = "primary";
    stay.textContent = "Stay signed in";
    close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    actions.appendChild(stay);
    actions.appendChild(document.createTextNode(" "));
    actions.appendChild(close);
    dialog.appendChild(title);
    dialog.appendChild(text);
    dialog.appendChild(actions);
    body.appendChild(dialog);
    stay.addEventListener("click", keepAlive);
    close.addEventListener("click", function () { dialog.close(); });
  }

  function minutes(seconds) {
    var m = Math.ceil(seconds / 60);
    return m <= 1 ? "1 minute" : m + " minutes";
  }

  function show(heading, message, canStay) {
    if (!dialog) { build(); }
    title.textContent = heading;
    text.textContent = message;
    stay.hidden = !canStay;
    if (!dialog.open) { dialog.showModal(); }
    (canStay ? stay : close).focus();
  }

  function schedule(ms) {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, Math.max(0, ms));
  }

  function remaining() {
    return fetch(statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (data) { endsAt = Date.now() + data.remaining * 1000; return data.remaining; })
      .catch(function () { return Math.round((endsAt - Date.now()) / 1000); });
  }

  function check() {
    remaining().then(function (secs) {
      if (secs <= 0) {
        show("Your session has ended",
             "You were signed out after a time without activity. What you typed on this page " +
             "is not lost: when you send the form, you will be asked for your password and " +
             "code, and then it is saved.", false);
        return;
      }
      if (secs > warnAhead) {  // activity in another tab kept the session alive
        if (dialog && dialog.open) { dialog.close(); }
        schedule((secs - warnAhead) * 1000);
        return;
      }
      show("Your session ends in " + minutes(secs),
           "You will be signed out after a time without activity. Stay signed in to go on " +
           "working on this page.", true);
      schedule(Math.min(secs * 1000, 15000));
    });
  }

  function keepAlive() {
    fetch(keepUrl, {method: "POST", credentials: "same-origin",
                    headers: {"Accept": "application/json", "X-CSRFToken": csrf}})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        endsAt = Date.now() + data.remaining * 1000;
        if (data.remaining > 0) {
          dialog.close();
          schedule((data.remaining - warnAhead) * 1000);
        } else {
          check();
        }
      })
      .catch(check);
  }

  schedule((left - warnAhead) * 1000);
}());

// Evidence viewer: fit to the window, actual size, zoom in and out. Without JavaScript
// the image is shown fitted to the window.
(function () {
  "use strict";
  document.querySelectorAll(".viewer-stage").forEach(function (stage) {
    var image = stage.querySelector("img.viewer-content");
    var tools = stage.querySelector(".viewer-tools");
    var label = stage.querySelector(".viewer-scale");
    if (!image || !tools) { return; }
    var scale = null; // null: fitted to the window

    function show() {
      if (scale === null) {
        image.classList.add("fit");
        image.style.width = "";
        image.style.maxWidth = "";
        label.textContent = tools.getAttribute("data-msg-fitted") || "Fitted to the window";
        return;
      }
      image.classList.remove("fit");
      image.style.maxWidth = "none";
      image.style.width = Math.round(image.naturalWidth * scale) + "px";
      label.textContent = Math.round(scale * 100) + " %";
    }

    function current() {
      if (scale !== null || !image.naturalWidth) { return scale || 1; }
      return image.getBoundingClientRect().width / image.naturalWidth;
    }

    tools.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-zoom]");
      if (!button) { return; }
      var zoom = button.getAttribute("data-zoom");
      if (zoom === "fit") { scale = null; }
      else if (zoom === "actual") { scale = 1; }
      else if (zoom === "in") { scale = Math.min(current() * 1.25, 8); }
      else if (zoom === "out") { scale = Math.max(current() / 1.25, 0.05); }
      show();
    });
    tools.hidden = false;
    show();
  });
})();

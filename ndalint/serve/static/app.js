// ndalint serve: drag and drop onto the upload page. The form works without this script (file
// picker and pasted text); this only lets a file dropped on the page fill the file field.
(function () {
  "use strict";
  var zone = document.getElementById("drop");
  var input = document.getElementById("file");
  var chosen = document.getElementById("chosen");
  var form = document.getElementById("upload");
  var busy = document.getElementById("busy");
  if (!zone || !input) return;

  function show() {
    chosen.textContent = input.files && input.files.length ? "選択中：" + input.files[0].name : "";
  }
  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (e) {
      e.preventDefault();
      zone.classList.add("over");
    });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function () {
      zone.classList.remove("over");
    });
  });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files.length) {
      input.files = e.dataTransfer.files;
      show();
    }
  });
  form.addEventListener("submit", function () {
    busy.hidden = false;
  });
})();

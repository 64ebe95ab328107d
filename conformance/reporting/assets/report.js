(function () {
  "use strict";
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr.req"));
  var chips = Array.prototype.slice.call(document.querySelectorAll(".chip[data-status]"));
  var family = document.getElementById("filter-family");
  var level = document.getElementById("filter-level");
  var search = document.getElementById("filter-search");
  var shown = document.getElementById("shown");
  var empty = document.getElementById("no-match");

  function activeStatuses() {
    return chips.filter(function (c) { return c.getAttribute("aria-pressed") === "true"; })
                .map(function (c) { return c.dataset.status; });
  }

  function apply() {
    var statuses = activeStatuses();
    var terms = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var visible = 0;
    rows.forEach(function (row) {
      var ok = (statuses.length === 0 || statuses.indexOf(row.dataset.status) >= 0) &&
        (!family.value || row.dataset.family === family.value) &&
        (!level.value || row.dataset.level === level.value) &&
        terms.every(function (t) { return row.dataset.search.indexOf(t) >= 0; });
      row.hidden = !ok;
      if (ok) { visible += 1; }
    });
    shown.textContent = "Showing " + visible + " of " + rows.length + " requirements";
    empty.hidden = visible !== 0;
  }

  chips.forEach(function (chip) {
    chip.addEventListener("click", function () {
      chip.setAttribute("aria-pressed", chip.getAttribute("aria-pressed") === "true" ? "false" : "true");
      apply();
    });
  });
  [family, level].forEach(function (el) { el.addEventListener("change", apply); });
  search.addEventListener("input", apply);

  Array.prototype.forEach.call(document.querySelectorAll("button.copy"), function (button) {
    button.addEventListener("click", function () {
      var text = button.parentNode.querySelector("pre").textContent;
      if (navigator.clipboard) {
        navigator.clipboard.writeText(text).then(function () { button.textContent = "Copied"; });
      }
    });
  });

  var params = new URLSearchParams(window.location.search);
  if (params.get("status")) {
    chips.forEach(function (c) {
      c.setAttribute("aria-pressed", params.get("status").split(",").indexOf(c.dataset.status) >= 0 ? "true" : "false");
    });
  }
  document.querySelector(".filters").hidden = false;
  apply();
  document.body.setAttribute("data-ready", "true");
})();

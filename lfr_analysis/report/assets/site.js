/* lfr-analysis report: the little the pages do with JavaScript (all of it optional). */
(function () {
  "use strict";

  // On a narrow screen, start with the list of all pages folded.
  var menu = document.querySelector(".sidebar details.menu");
  if (menu && window.matchMedia && window.matchMedia("(max-width: 60rem)").matches) {
    menu.removeAttribute("open");
  }

  // "Show all code" / "Hide all code" on a notebook's page.
  var toggle = document.querySelector("button.toggle-code");
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var blocks = document.querySelectorAll("details.code");
      var open = toggle.getAttribute("aria-pressed") !== "true";
      for (var i = 0; i < blocks.length; i++) {
        blocks[i].open = open;
      }
      toggle.setAttribute("aria-pressed", open ? "true" : "false");
      toggle.textContent = open ? "Hide all code" : "Show all code";
    });
  }

  // Opening a link to a cell (#cell-N) shows that cell's code.
  function openTarget() {
    var id = window.location.hash.slice(1);
    if (!id) return;
    var target = document.getElementById(id);
    if (target && target.classList.contains("cell")) {
      var code = target.querySelector("details.code");
      if (code) code.open = true;
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // The ledger's filters: by publisher, status and metric.
  var table = document.getElementById("ledger-table");
  if (table) {
    var selects = document.querySelectorAll(".filters select");
    var count = document.getElementById("ledger-count");
    var rows = table.querySelectorAll("tbody tr");
    var filter = function () {
      var wanted = {};
      for (var i = 0; i < selects.length; i++) {
        wanted[selects[i].name] = selects[i].value;
      }
      var shown = 0;
      for (var j = 0; j < rows.length; j++) {
        var row = rows[j];
        var keep = true;
        for (var key in wanted) {
          if (wanted[key] && row.getAttribute("data-" + key) !== wanted[key]) keep = false;
        }
        row.hidden = !keep;
        if (keep) shown++;
      }
      if (count) count.textContent = "Showing " + shown + " of " + rows.length + " figures";
    };
    for (var k = 0; k < selects.length; k++) {
      selects[k].disabled = false;
      selects[k].addEventListener("change", filter);
    }
    filter();
  }
})();

// The indicators page: one line chart per indicator, from the JSON block the page carries
// (#indicator-charts). The table under each chart holds the same figures; without script
// (or without Chart.js) the tables are what is shown.
(function () {
  "use strict";
  function draw() {
    var block = document.getElementById("indicator-charts");
    if (!block || typeof window.Chart === "undefined") { return; }
    var charts = JSON.parse(block.textContent);
    charts.forEach(function (chart) {
      var holder = document.querySelector('[data-chart="' + chart.key + '"]');
      if (!holder) { return; }
      holder.classList.add("drawn");
      var canvas = holder.querySelector("canvas");
      new window.Chart(canvas, {
        type: "line",
        data: {
          labels: chart.labels,
          datasets: [{ label: chart.title, data: chart.values, spanGaps: true, borderColor: "#1f5f8b", backgroundColor: "#1f5f8b", tension: 0 }]
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          plugins: { legend: { display: false } },
          scales: {
            y: chart.unit === "share"
              ? { min: 0, max: 100, ticks: { callback: function (v) { return v + " %"; } } }
              : { min: 0 }
          }
        }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

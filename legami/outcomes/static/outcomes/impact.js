// Bar chart of the mean change per group with its 95% confidence interval, beside the table
// that carries the same figures (the chart is a picture of the table, not the only source).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("impact-data").textContent);
  var canvas = document.getElementById("impact-chart");
  if (!canvas || typeof Chart === "undefined") return;
  var intervals = {
    id: "intervals",
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx, x = chart.scales.x, y = chart.scales.y;
      ctx.save();
      ctx.strokeStyle = "#1a1a1a";
      ctx.lineWidth = 1.5;
      chart.getDatasetMeta(0).data.forEach(function (bar, i) {
        if (data.low[i] === null || data.high[i] === null) return;
        var top = y.getPixelForValue(data.high[i]), bottom = y.getPixelForValue(data.low[i]);
        ctx.beginPath();
        ctx.moveTo(bar.x, top); ctx.lineTo(bar.x, bottom);
        ctx.moveTo(bar.x - 6, top); ctx.lineTo(bar.x + 6, top);
        ctx.moveTo(bar.x - 6, bottom); ctx.lineTo(bar.x + 6, bottom);
        ctx.stroke();
      });
      ctx.restore();
    }
  };
  // The axis must hold the intervals, not only the bars: a whisker cut at the edge would hide
  // how uncertain a group's figure is.
  var ends = data.mean.concat(data.low, data.high).filter(function (v) { return v !== null; });
  var lowest = Math.min.apply(null, ends.concat([0]));
  var highest = Math.max.apply(null, ends.concat([0]));
  var margin = (highest - lowest) * 0.05 || 1;
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{ label: data.title, data: data.mean, backgroundColor: "#0066cc" }]
    },
    options: {
      animation: false,
      plugins: { legend: { display: true } },
      scales: { y: { min: Math.floor(lowest - margin), max: Math.ceil(highest + margin) } }
    },
    plugins: [intervals]
  });
})();

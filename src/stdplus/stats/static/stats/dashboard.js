// Draw the dashboard's charts with ECharts (vendored); every bar or slice links to its records.
(function () {
  "use strict";
  document.querySelectorAll("[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  if (typeof echarts === "undefined") { return; }
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  function chart(id, option, hrefs, byParam) {
    var node = document.getElementById(id);
    if (!node) { return; }
    var instance = echarts.init(node, null, { renderer: "svg" });
    instance.setOption(Object.assign({ animation: false, tooltip: { trigger: "item" } }, option));
    instance.on("click", function (params) {
      var index = byParam ? params.dataIndex : params.dataIndex;
      if (hrefs && hrefs[index]) { window.location.href = hrefs[index]; }
    });
    window.addEventListener("resize", function () { instance.resize(); });
  }
  chart("chart-trend", {
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 40, right: 10, top: 30, bottom: 25 },
    xAxis: { type: "category", data: data.trend.years },
    yAxis: { type: "value", minInterval: 1 },
    series: data.trend.series.map(function (s) { return { name: s.name, type: "bar", stack: "all", data: s.data, itemStyle: s.color ? { color: s.color } : undefined }; })
  }, data.trend.hrefs);
  chart("chart-levels", {
    series: [{ type: "pie", radius: ["35%", "70%"], data: data.levels.names.map(function (n, i) { return { name: n, value: data.levels.values[i], itemStyle: data.levels.colors ? { color: data.levels.colors[i] } : undefined }; }) }]
  }, data.levels.hrefs);
  chart("chart-children", {
    grid: { left: 40, right: 10, top: 10, bottom: 60 },
    xAxis: { type: "category", data: data.children.names, axisLabel: { rotate: 30 } },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.children.values }]
  }, data.children.hrefs);
  chart("chart-ics", {
    grid: { left: 160, right: 20, top: 10, bottom: 20 },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: data.ics.names.slice().reverse(), axisLabel: { width: 150, overflow: "truncate" } },
    series: [{ type: "bar", data: data.ics.values.slice().reverse() }]
  }, data.ics.hrefs.slice().reverse());
  chart("chart-pilots", {
    series: [{ type: "pie", radius: "65%", data: data.pilots.names.map(function (n, i) { return { name: n, value: data.pilots.values[i] }; }) }]
  }, data.pilots.hrefs);
}());

// The chart of a benchmark plot page (bench/plot-page.mjs): durations
// against a count, both axes logarithmic, drawn with uPlot (inlined before
// this script) from the data in #mallinfo-data:
// { title, x: { label, values }, series: [{ label, color, values (µs) }] }.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('mallinfo-data').textContent);
  var element = document.getElementById('chart');
  if (!element || data.x.values.length === 0) return;

  function duration(us) {
    if (us === null || us === undefined) return '–';
    if (us >= 1000) return +(us / 1000).toPrecision(3) + ' ms';
    return +us.toPrecision(3) + ' µs';
  }
  function count(n) {
    if (n >= 1e6) return +(n / 1e6).toPrecision(3) + 'M';
    if (n >= 1e3) return +(n / 1e3).toPrecision(3) + 'k';
    return String(n);
  }
  // Ticks at 1–9 × 10^n within the scale; labels on the powers of ten only.
  function logSplits(u, axis, min, max) {
    var splits = [];
    for (var e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
      for (var m = 1; m <= 9; m++) {
        var v = m * Math.pow(10, e);
        if (v >= min && v <= max) splits.push(v);
      }
    }
    return splits;
  }
  function decades(format) {
    return function (u, splits) {
      return splits.map(function (v) {
        return Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9 ? format(v) : '';
      });
    };
  }
  // A third of a decade's margin around the points.
  function logRange(u, min, max) {
    return [min / 2, max * 2];
  }

  var chart = new uPlot(
    {
      title: data.title,
      width: element.clientWidth,
      height: 380,
      legend: { live: false },
      scales: { x: { time: false, distr: 3, range: logRange }, y: { distr: 3, range: logRange } },
      series: [{ label: data.x.label, value: function (u, v) { return v === null ? '–' : v.toLocaleString('en'); } }].concat(
        data.series.map(function (s) {
          return { label: s.label, stroke: s.color, width: 2, points: { show: true, size: 9, fill: s.color }, value: function (u, v) { return duration(v); } };
        }),
      ),
      axes: [
        { label: data.x.label, splits: logSplits, values: decades(count) },
        { size: 80, splits: logSplits, values: decades(duration) },
      ],
    },
    [data.x.values].concat(data.series.map(function (s) { return s.values; })),
    element,
  );
  window.mallinfoChart = chart;
})();

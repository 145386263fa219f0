// The chart of a mallinfo HTML report: reads the data the CLI put in
// #mallinfo-data and draws it with uPlot (inlined before this script).
// Trims are dashed vertical lines labelled with the RSS they released.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('mallinfo-data').textContent);
  var element = document.getElementById('chart');
  if (!element || data.time.length === 0) return;

  var UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];
  function bytes(value) {
    if (value === null || value === undefined) return '–';
    var v = Math.abs(value);
    var unit = 0;
    while (v >= 1024 && unit < UNITS.length - 1) {
      v /= 1024;
      unit++;
    }
    return (value < 0 ? '-' : '') + (unit === 0 ? v.toFixed(0) : v.toFixed(1).replace(/\.0$/, '')) + ' ' + UNITS[unit];
  }

  // Axis steps in whole KB/MB/GB (1, 2, 5, 10, 20, 50, … of each unit).
  var STEPS = [];
  [1, 1024, 1048576, 1073741824].forEach(function (unit) {
    [1, 2, 5, 10, 20, 50, 100, 200, 500].forEach(function (n) {
      STEPS.push(n * unit);
    });
  });

  var trimMarks = {
    hooks: {
      draw: [
        function (u) {
          var ctx = u.ctx;
          var pxRatio = window.devicePixelRatio || 1;
          ctx.save();
          ctx.strokeStyle = data.trimColor;
          ctx.fillStyle = data.trimColor;
          ctx.lineWidth = 1.5 * pxRatio;
          ctx.setLineDash([5 * pxRatio, 4 * pxRatio]);
          ctx.font = 12 * pxRatio + 'px sans-serif';
          data.trims.forEach(function (trim) {
            var x = Math.round(u.valToPos(trim.time / 1000, 'x', true));
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
            ctx.fillText('trim −' + bytes(trim.released), x + 4 * pxRatio, u.bbox.top + 14 * pxRatio);
          });
          ctx.restore();
        },
      ],
    },
  };

  function options(width) {
    return {
      title: data.title,
      width: width,
      height: 380,
      scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.05 : 1]; } } },
      series: [{ label: 'time' }].concat(
        data.series.map(function (s) {
          return { label: s.label, stroke: s.color, width: 2, value: function (u, v) { return bytes(v); } };
        }),
      ),
      axes: [{}, { size: 80, incrs: STEPS, values: function (u, values) { return values.map(bytes); } }],
      plugins: [trimMarks],
    };
  }

  var columns = [data.time].concat(data.series.map(function (s) { return s.values; }));
  var chart = new uPlot(options(element.clientWidth), columns, element);
  window.mallinfoChart = chart;
  window.addEventListener('resize', function () {
    chart.setSize({ width: element.clientWidth, height: 380 });
  });
})();

// s7log charts: one uPlot per numeric or boolean column, shared cursor, bad-quality bands.
// Used by the live page (served by `s7log run --live`) and the static `s7log plot` report.
(function (global) {
  'use strict';

  var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b',
                '#e377c2', '#7f7f7f', '#bcbd22'];

  function chartWidth(container) {
    return Math.max(300, Math.floor(container.clientWidth || 800) - 4);
  }

  function formatValue(v) {
    if (v === null || v === undefined) return '–';
    if (Number.isInteger(v)) return String(v);
    return String(Math.round(v * 1e6) / 1e6);
  }

  // Shades the x ranges of rows whose quality is bad (anything but '' or 'ok').
  function drawBands(u, owner) {
    var t = owner.t, bad = owner.bad;
    if (!bad || !t.length) return;
    var ctx = u.ctx, top = u.bbox.top, height = u.bbox.height;
    ctx.save();
    ctx.fillStyle = 'rgba(214, 39, 40, 0.13)';
    for (var i = 0; i < t.length; i++) {
      if (!bad[i]) continue;
      var j = i;
      while (j + 1 < t.length && bad[j + 1]) j++;
      var x0 = u.valToPos(i > 0 ? (t[i - 1] + t[i]) / 2 : t[i], 'x', true);
      var x1 = u.valToPos(j + 1 < t.length ? (t[j] + t[j + 1]) / 2 : t[j], 'x', true);
      ctx.fillRect(x0, top, Math.max(x1 - x0, 2), height);
      i = j;
    }
    ctx.restore();
  }

  // columns: [{name, kind: 'number'|'boolean'|'text'}]; opts.utc: show times as UTC (the
  // report's times are the wall-clock times written in the CSV, counted as UTC).
  function Charts(container, columns, opts) {
    opts = opts || {};
    this.container = container;
    this.columns = columns;
    this.t = [];
    this.bad = null;
    this.charts = [];
    var self = this;
    var syncKey = 's7log-' + Math.random().toString(36).slice(2);
    columns.forEach(function (col, index) {
      if (col.kind !== 'number' && col.kind !== 'boolean') return;
      var isBool = col.kind === 'boolean';
      var color = COLORS[self.charts.length % COLORS.length];
      var box = document.createElement('section');
      box.className = 'chart';
      var head = document.createElement('div');
      head.className = 'chart-head';
      var name = document.createElement('span');
      name.className = 'chart-name';
      name.textContent = col.name;
      name.style.color = color;
      var value = document.createElement('span');
      value.className = 'chart-value';
      head.appendChild(name);
      head.appendChild(value);
      box.appendChild(head);
      container.appendChild(box);
      var config = {
        width: chartWidth(container),
        height: isBool ? 110 : 190,
        cursor: { sync: { key: syncKey } },
        legend: { show: false },
        scales: { x: { time: true }, y: isBool ? { range: [-0.15, 1.15] } : {} },
        axes: [
          {},
          isBool
            ? { splits: function () { return [0, 1]; },
                values: function (u, vals) { return vals.map(function (v) { return v ? 'true' : 'false'; }); },
                size: 60 }
            : { size: 60 }
        ],
        series: [
          {},
          { label: col.name, stroke: color, width: isBool ? 1.5 : 2,
            fill: isBool ? color + '33' : undefined,
            paths: isBool ? uPlot.paths.stepped({ align: 1 }) : undefined,
            spanGaps: false, points: { show: false } }
        ],
        hooks: { drawClear: [function (u) { drawBands(u, self); }] }
      };
      if (opts.utc) {
        config.tzDate = function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); };
      }
      var u = new uPlot(config, [[], []], box);
      self.charts.push({ u: u, index: index, value: value, isBool: isBool });
    });
    var skipped = columns.filter(function (c) { return c.kind !== 'number' && c.kind !== 'boolean'; });
    this.skipped = skipped.map(function (c) { return c.name; });
    this.onResize = function () {
      var w = chartWidth(container);
      self.charts.forEach(function (c) { c.u.setSize({ width: w, height: c.u.height }); });
    };
    global.addEventListener('resize', this.onResize);
  }

  // t: x values in seconds; v: one array per column (null = gap); bad: per row truthy = bad.
  Charts.prototype.setData = function (t, v, bad) {
    this.t = t;
    this.bad = bad;
    this.charts.forEach(function (c) {
      var ys = v[c.index] || [];
      c.u.setData([t, ys]);
      var last = null;
      for (var i = ys.length - 1; i >= 0; i--) {
        if (ys[i] !== null && ys[i] !== undefined) { last = ys[i]; break; }
      }
      c.value.textContent = c.isBool ? (last === null ? '–' : (last ? 'true' : 'false')) : formatValue(last);
    });
  };

  Charts.prototype.points = function () { return this.t.length; };

  Charts.prototype.destroy = function () {
    global.removeEventListener('resize', this.onResize);
    this.charts.forEach(function (c) { c.u.destroy(); });
    this.container.textContent = '';
  };

  global.S7Charts = Charts;
})(window);

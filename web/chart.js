// s7log charts: one uPlot per numeric or boolean column, shared cursor, bad-quality bands, and
// the time formats (S7Time) of the axis, the hover readout and the status lines. Used by the live
// page (served by `s7log run --live`) and the static `s7log plot` report.
(function (global) {
  'use strict';

  var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b',
                '#e377c2', '#7f7f7f', '#bcbd22'];

  // Times on both pages: 24-hour clock and ISO dates, built from Date fields and never from the
  // browser's locale (toLocaleString would give '3:03am' or '12/7/26' depending on the machine).
  // t is in seconds. utc: read the UTC fields (the report's times are the CSV's wall-clock times
  // counted as UTC); otherwise the browser's own time zone.
  var MIN = 60, HOUR = 3600, DAY = 86400, MONTH = 30 * DAY, YEAR = 365 * DAY;
  // Tick steps that suit a clock; months and years are uPlot's own units for calendar ticks.
  var TICK_STEPS = [1, 2, 5, 10, 15, 30, MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN,
    HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY,
    MONTH, 2 * MONTH, 3 * MONTH, 6 * MONTH, YEAR, 2 * YEAR, 5 * YEAR, 10 * YEAR];
  var SUBSECOND_STEPS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5];
  var SUBSECOND_SPAN = 10;  // seconds: wider charts never get ticks between whole seconds

  function pad(n, width) {
    var s = String(n);
    while (s.length < (width || 2)) s = '0' + s;
    return s;
  }

  function fields(t, utc) {
    var d = new Date(Math.round(t * 1000));
    return utc
      ? { y: d.getUTCFullYear(), mo: d.getUTCMonth() + 1, d: d.getUTCDate(), h: d.getUTCHours(),
          mi: d.getUTCMinutes(), s: d.getUTCSeconds(), ms: d.getUTCMilliseconds() }
      : { y: d.getFullYear(), mo: d.getMonth() + 1, d: d.getDate(), h: d.getHours(),
          mi: d.getMinutes(), s: d.getSeconds(), ms: d.getMilliseconds() };
  }

  function isoDate(f) { return pad(f.y, 4) + '-' + pad(f.mo) + '-' + pad(f.d); }

  function clockOf(f, unit) {
    var out = pad(f.h) + ':' + pad(f.mi);
    if (unit === 'min') return out;
    out += ':' + pad(f.s);
    return unit === 'ms' ? out + '.' + pad(f.ms, 3) : out;
  }

  var S7Time = {
    // '2026-12-07 10:15:03', with '.500' only when the time has milliseconds.
    stamp: function (t, utc) {
      var f = fields(t, utc);
      return isoDate(f) + ' ' + clockOf(f, f.ms ? 'ms' : 's');
    },
    // '10:15:03'
    clock: function (t, utc) { return clockOf(fields(t, utc), 's'); },
    // Labels of x ticks `incr` seconds apart: '10:15:03.500' below a second, '10:15:03' below a
    // minute, '10:15' below a day, then '2026-12-07', '2026-12' and '2026'. Below a day the first
    // tick and each tick on a new day get the ISO date as a second line.
    tickLabels: function (splits, incr, utc) {
      var unit = incr < 1 ? 'ms' : incr < MIN ? 's' : 'min';
      var prevDate = null;
      return splits.map(function (t) {
        if (t === null || t === undefined) return null;
        var f = fields(t, utc);
        if (incr >= YEAR) return pad(f.y, 4);
        if (incr >= MONTH) return pad(f.y, 4) + '-' + pad(f.mo);
        var date = isoDate(f);
        if (incr >= DAY) return date;
        var label = clockOf(f, unit);
        if (date !== prevDate) label += '\n' + date;
        prevDate = date;
        return label;
      });
    },
    // The tick steps uPlot may choose from for a chart spanning min..max seconds whose mean sample
    // spacing is `step`: below a second only for short spans, and never finer than the samples.
    tickSteps: function (min, max, step) {
      if (!(max - min < SUBSECOND_SPAN)) return TICK_STEPS;
      return SUBSECOND_STEPS.filter(function (s) { return !(s < step); }).concat(TICK_STEPS);
    }
  };

  // The x axis of every chart: uPlot aligns the ticks to the steps above (in the chart's time
  // zone, see tzDate) and S7Time labels them.
  function timeAxis(utc) {
    return {
      space: function (u, axisIdx, min, max) { return max - min < SUBSECOND_SPAN ? 95 : 70; },
      incrs: function (u, axisIdx, min, max) {
        var t = u.data[0];
        var step = t.length > 1 ? (t[t.length - 1] - t[0]) / (t.length - 1) : 0;
        return S7Time.tickSteps(min, max, step);
      },
      values: function (u, splits, axisIdx, space, incr) { return S7Time.tickLabels(splits, incr, utc); }
    };
  }

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

  // The head shows the value under the cursor and its time while the mouse is over a chart (the
  // cursors of all charts move together), otherwise the newest value.
  function showValue(c) {
    var u = c.u, ys = u.data[1] || [], idx = u.cursor.idx;
    var hovering = idx !== null && idx !== undefined && idx < ys.length;
    var v = null;
    if (hovering) {
      v = ys[idx];
    } else {
      for (var i = ys.length - 1; i >= 0; i--) {
        if (ys[i] !== null && ys[i] !== undefined) { v = ys[i]; break; }
      }
    }
    c.value.textContent = c.isBool ? (v === null || v === undefined ? '–' : (v ? 'true' : 'false'))
      : formatValue(v);
    c.at.textContent = hovering ? 'at ' + u.series[0].value(u, u.data[0][idx], 0, idx) : '';
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
      var at = document.createElement('span');
      at.className = 'chart-at';
      head.appendChild(name);
      head.appendChild(value);
      head.appendChild(at);
      box.appendChild(head);
      container.appendChild(box);
      var entry = null;
      var config = {
        width: chartWidth(container),
        height: isBool ? 110 : 190,
        cursor: { sync: { key: syncKey } },
        legend: { show: false },
        scales: { x: { time: true }, y: isBool ? { range: [-0.15, 1.15] } : {} },
        axes: [
          timeAxis(!!opts.utc),
          isBool
            ? { splits: function () { return [0, 1]; },
                values: function (u, vals) { return vals.map(function (v) { return v ? 'true' : 'false'; }); },
                size: 60 }
            : { size: 60 }
        ],
        series: [
          { value: function (u, t) {
            return t === null || t === undefined ? '–' : S7Time.stamp(t, !!opts.utc);
          } },
          { label: col.name, stroke: color, width: isBool ? 1.5 : 2,
            fill: isBool ? color + '33' : undefined,
            paths: isBool ? uPlot.paths.stepped({ align: 1 }) : undefined,
            spanGaps: false, points: { show: false } }
        ],
        hooks: {
          drawClear: [function (u) { drawBands(u, self); }],
          setCursor: [function () { if (entry) showValue(entry); }],
          // The x ticks as drawn (uPlot 1.6.32 keeps them in _splits/_values), for tests to read.
          draw: [function (u) {
            box.dataset.xticks = JSON.stringify({ splits: u.axes[0]._splits, labels: u.axes[0]._values });
          }]
        }
      };
      if (opts.utc) {
        config.tzDate = function (ts) { return uPlot.tzDate(new Date(ts * 1e3), 'Etc/UTC'); };
      }
      var u = new uPlot(config, [[], []], box);
      entry = { u: u, index: index, value: value, at: at, isBool: isBool };
      self.charts.push(entry);
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
      showValue(c);
    });
  };

  Charts.prototype.points = function () { return this.t.length; };

  Charts.prototype.destroy = function () {
    global.removeEventListener('resize', this.onResize);
    this.charts.forEach(function (c) { c.u.destroy(); });
    this.container.textContent = '';
  };

  global.S7Charts = Charts;
  global.S7Time = S7Time;
})(window);

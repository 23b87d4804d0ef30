// s7log plot report: draws the data inlined by `s7log plot` (times shown as written in the CSV).
(function () {
  'use strict';
  var d = JSON.parse(document.getElementById('data').textContent);
  document.getElementById('title').textContent = d.title;
  var n = d.t.length;
  document.getElementById('info').textContent = n
    ? n + ' rows, ' + S7Time.stamp(d.t[0], true) + ' to ' + S7Time.stamp(d.t[n - 1], true) +
      ' from ' + d.files.join(', ')
    : 'no rows in ' + d.files.join(', ');
  var charts = new S7Charts(document.getElementById('charts'), d.columns, { utc: true });
  var bad = d.quality ? d.quality.map(function (q) { return q !== '' && q !== 'ok'; }) : null;
  charts.setData(d.t, d.v, bad);
  var notes = [];
  if (charts.skipped.length) notes.push('Not charted (text): ' + charts.skipped.join(', ') + '.');
  if (bad) notes.push('Shaded: rows whose quality is not ok.');
  document.getElementById('notes').textContent = notes.join(' ');
  document.body.dataset.points = String(charts.points());
  document.body.dataset.done = '1';
})();

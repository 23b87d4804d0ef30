// s7log live page: receives history then samples over SSE (/events) and redraws the charts.
(function () {
  'use strict';

  var conn = document.getElementById('conn');
  var link = document.getElementById('link');
  var last = document.getElementById('last');
  var notes = document.getElementById('notes');
  var container = document.getElementById('charts');
  var windowInput = document.getElementById('window');

  var st = { columnsKey: '', charts: null, capacity: 3600, t: [], v: [], bad: [], samples: 0,
             lastMessage: Date.now(), lastSampleMs: null, source: null, drawPending: false };

  var param = Number(new URLSearchParams(location.search).get('window'));
  if (param >= 2) windowInput.value = String(Math.floor(param));

  function windowSize() {
    var n = Math.floor(Number(windowInput.value));
    return n >= 2 ? n : 60;
  }

  function setConn(state, text) {
    conn.dataset.state = state;
    conn.textContent = text;
  }

  function showLast() {
    if (st.lastSampleMs === null) return;
    var ago = Math.max(0, Math.round((Date.now() - st.lastSampleMs) / 1000));
    last.textContent = 'last sample ' + S7Time.clock(st.lastSampleMs / 1000) +
      (ago >= 3 ? ' (' + ago + ' s ago)' : '');
  }

  function draw() {
    st.drawPending = false;
    if (!st.charts) return;
    var n = Math.min(windowSize(), st.t.length);
    var from = st.t.length - n;
    var v = st.v.map(function (col) { return col.slice(from); });
    st.charts.setData(st.t.slice(from), v, st.bad.slice(from));
    document.body.dataset.points = String(n);
    document.body.dataset.samples = String(st.samples);
    showLast();
  }

  // Never redraw more than once per frame, whatever the event rate (the page must not freeze).
  function scheduleDraw() {
    if (st.drawPending) return;
    st.drawPending = true;
    if (document.hidden) setTimeout(draw, 250); else requestAnimationFrame(draw);
  }

  function push(s) {
    st.t.push(s.t / 1000);
    for (var i = 0; i < st.v.length; i++) st.v[i].push(i < s.v.length ? s.v[i] : null);
    st.bad.push(s.q !== 'ok');
    st.samples++;
    st.lastSampleMs = s.t;
    var extra = st.t.length - st.capacity;
    if (extra > 0) {
      st.t.splice(0, extra);
      st.bad.splice(0, extra);
      st.v.forEach(function (col) { col.splice(0, extra); });
    }
  }

  function onHello(ev) {
    var h = JSON.parse(ev.data);
    st.lastMessage = Date.now();
    st.capacity = h.capacity || 3600;
    var key = JSON.stringify(h.columns);
    if (key !== st.columnsKey) {
      if (st.charts) st.charts.destroy();
      st.columnsKey = key;
      st.charts = new S7Charts(container, h.columns, {});
      notes.textContent = st.charts.skipped.length
        ? 'Not charted (text or array): ' + st.charts.skipped.join(', ') + ' (see /api/latest).' : '';
    }
    // The history replaces what we had: after a reconnect nothing is doubled or lost.
    st.t = []; st.bad = []; st.samples = 0;
    st.v = h.columns.map(function () { return []; });
    h.history.forEach(push);
    scheduleDraw();
  }

  function onSample(ev) {
    st.lastMessage = Date.now();
    push(JSON.parse(ev.data));
    scheduleDraw();
  }

  function onStatus(ev) {
    st.lastMessage = Date.now();
    var s = JSON.parse(ev.data);
    link.textContent = 'PLC: ' + s.link;
  }

  function connect() {
    if (st.source) st.source.close();
    var es = new EventSource('/events');
    st.source = es;
    st.lastMessage = Date.now();
    es.addEventListener('hello', onHello);
    es.addEventListener('sample', onSample);
    es.addEventListener('status', onStatus);
    es.onopen = function () { setConn('connected', 'connected'); };
    // EventSource retries by itself; the page only says so.
    es.onerror = function () { setConn('reconnecting', 'reconnecting…'); };
  }

  // Watchdog: the server sends a status event every 2 s; silence means a dead connection.
  setInterval(function () {
    showLast();
    if (Date.now() - st.lastMessage > 7000) {
      setConn('reconnecting', 'reconnecting…');
      connect();
    }
  }, 1000);

  windowInput.addEventListener('input', scheduleDraw);
  connect();
})();

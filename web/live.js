// s7log live page: receives history then samples over SSE (/events) and redraws the charts; with
// several groups (/api/groups), a picker of PLC and group and a link-state badge per PLC.
(function () {
  'use strict';

  var conn = document.getElementById('conn');
  var link = document.getElementById('link');
  var last = document.getElementById('last');
  var notes = document.getElementById('notes');
  var container = document.getElementById('charts');
  var windowInput = document.getElementById('window');
  var picker = document.getElementById('picker');
  var select = document.getElementById('group');
  var plcsBar = document.getElementById('plcs');
  var latestLink = document.getElementById('latest-link');
  var historyLink = document.getElementById('history-link');

  // key: the group shown, {plc, group}; null while the run has one group (the server's default,
  // and the URLs stay as they always were).
  var st = { columnsKey: '', charts: null, capacity: 3600, t: [], v: [], bad: [], samples: 0,
             lastMessage: Date.now(), lastSampleMs: null, source: null, drawPending: false,
             groups: [], key: null, retry: null };

  var params = new URLSearchParams(location.search);
  var param = Number(params.get('window'));
  if (param >= 2) windowInput.value = String(Math.floor(param));
  // A link may name the group to open (?plc=&group=, either may be left out).
  var wanted = params.has('plc') || params.has('group')
    ? { plc: params.get('plc'), group: params.get('group') } : null;

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

  // ---- groups and PLCs ----

  function sameKey(a, b) {
    return !a ? !b : !!b && a.plc === b.plc && a.group === b.group;
  }

  // "plc=press1&group=fast" for the group shown ('' with one group).
  function groupQuery() {
    if (!st.key) return '';
    return 'plc=' + encodeURIComponent(st.key.plc) + '&group=' + encodeURIComponent(st.key.group);
  }

  function showGroupInUi() {
    var q = groupQuery();
    latestLink.href = '/api/latest' + (q ? '?' + q : '');
    historyLink.href = '/api/history?last=60' + (q ? '&' + q : '');
    if (!st.key) return;
    // The address names the group, so a link (or a reload) opens it; other parameters stay.
    var p = new URLSearchParams(location.search);
    p.set('plc', st.key.plc);
    p.set('group', st.key.group);
    history.replaceState(null, '', location.pathname + '?' + p.toString());
  }

  // One badge per PLC: its name and link state (connected / reconnecting / connecting).
  function showPlcs(plcs) {
    if (plcsBar.hidden || !plcs) return;
    var text = JSON.stringify(plcs);
    if (plcsBar.dataset.shown === text) return;
    plcsBar.dataset.shown = text;
    plcsBar.textContent = '';
    plcs.forEach(function (p) {
      var badge = document.createElement('span');
      badge.className = 'badge';
      badge.dataset.plc = p.plc;
      badge.dataset.state = p.link;
      badge.textContent = (p.plc || 'PLC') + ': ' + p.link;
      plcsBar.appendChild(badge);
    });
  }

  // Takes the server's list of groups; returns whether the group to show changed.
  function applyGroups(list) {
    var groups = list.groups || [];
    st.groups = groups;
    var multi = groups.length > 1;
    picker.hidden = !multi;
    plcsBar.hidden = !multi;
    var before = st.key;
    if (!multi) {
      st.key = null;
    } else {
      var want = st.key || wanted;
      var found = groups.filter(function (g) {
        return want && (want.plc === null || g.plc === want.plc) &&
          (want.group === null || g.group === want.group);
      })[0] || groups[0];
      st.key = { plc: found.plc, group: found.group };
      var labels = groups.map(function (g) { return g.plc + ' / ' + g.group; });
      if (select.dataset.labels !== JSON.stringify(labels)) {
        select.dataset.labels = JSON.stringify(labels);
        select.textContent = '';
        labels.forEach(function (label, i) {
          var o = document.createElement('option');
          o.value = String(i);
          o.textContent = label;
          select.appendChild(o);
        });
      }
      select.value = String(groups.indexOf(found));
      showPlcs(list.plcs);
    }
    showGroupInUi();
    return !sameKey(before, st.key);
  }

  // Asks the server which groups there are, then calls done(changed).
  function loadGroups(done) {
    fetch('/api/groups', { cache: 'no-store' })
      .then(function (r) { return r.ok ? r.json() : { groups: [] }; })
      .then(function (list) { done(applyGroups(list)); },
            function () { done(false); });
  }

  // Forgets what the charts show (another group is coming).
  function clearCharts() {
    if (st.charts) st.charts.destroy();
    st.charts = null;
    st.columnsKey = '';
    st.t = []; st.v = []; st.bad = []; st.samples = 0; st.lastSampleMs = null;
    notes.textContent = '';
    last.textContent = 'no sample yet';
    document.body.dataset.points = '0';
    document.body.dataset.samples = '0';
  }

  select.addEventListener('change', function () {
    var g = st.groups[Number(select.value)];
    if (!g || sameKey(st.key, g)) return;
    st.key = { plc: g.plc, group: g.group };
    showGroupInUi();
    clearCharts();
    connect();
  });

  // ---- the stream ----

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
    // A reload of the logger's config may have added or removed groups.
    loadGroups(function (changed) {
      if (changed) { clearCharts(); connect(); }
    });
  }

  function onSample(ev) {
    st.lastMessage = Date.now();
    push(JSON.parse(ev.data));
    scheduleDraw();
  }

  function onStatus(ev) {
    st.lastMessage = Date.now();
    var s = JSON.parse(ev.data);
    link.textContent = 'PLC' + (st.key && st.key.plc ? ' ' + st.key.plc : '') + ': ' + s.link;
    showPlcs(s.plcs);
  }

  function connect() {
    if (st.source) st.source.close();
    if (st.retry) { clearTimeout(st.retry); st.retry = null; }
    var q = groupQuery();
    var es = new EventSource('/events' + (q ? '?' + q : ''));
    st.source = es;
    st.lastMessage = Date.now();
    es.addEventListener('hello', onHello);
    es.addEventListener('sample', onSample);
    es.addEventListener('status', onStatus);
    es.onopen = function () { setConn('connected', 'connected'); };
    es.onerror = function () {
      setConn('reconnecting', 'reconnecting…');
      // EventSource retries by itself, except after an answer that is no stream (the group is
      // gone after a reload, 404): then ask for the groups again.
      if (es.readyState === EventSource.CLOSED && st.source === es && !st.retry) {
        st.retry = setTimeout(function () {
          st.retry = null;
          loadGroups(function (changed) { if (changed) clearCharts(); connect(); });
        }, 2000);
      }
    };
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
  loadGroups(function () { connect(); });
})();

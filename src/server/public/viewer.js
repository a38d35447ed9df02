// MetaCAM live viewer. Plain script, no build step: connects to /ws, draws each JPEG on a canvas, shows the
// explanation (class, score, thresholds, members, timings), charts τ and score, and sends control messages.
// Draws only the newest frame: if a JPEG arrives while the previous one is still decoding, the older waits no
// longer than it takes to be replaced, so a slow tab shows fresh frames rather than a backlog.
'use strict';

(() => {
  const CHART_SECONDS = 30;
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const token = params.get('token');
  const tokenQuery = token ? `?token=${encodeURIComponent(token)}` : '';

  const el = {
    canvas: $('video'), hud: $('hud'), placeholder: $('placeholder'), label: $('class-label'), score: $('class-score'),
    mode: $('class-mode'), region: $('region'), fps: $('fps'), latency: $('latency'), frameIndex: $('frame-index'),
    dropped: $('dropped'), skipped: $('skipped'), conn: $('conn'), connText: $('conn-text'), chart: $('chart'),
    classPicker: $('class-picker'), presetPicker: $('preset-picker'), colormapPicker: $('colormap-picker'),
    alpha: $('alpha'), alphaValue: $('alpha-value'), top5: $('top5'), members: $('members'),
    memberCount: $('member-count'), timings: $('timings'), toast: $('toast'),
  };
  const ctx = el.canvas.getContext('2d');

  // Exposed for tests and for curious users in the console.
  const stats = { framesDrawn: 0, textMessages: 0, binaryMessages: 0, lastLabel: null, connects: 0, state: null };
  window.metacamViewer = stats;

  let labels = [];
  let ws = null;
  let retryMs = 500;
  let retryTimer = null;
  let lastExplanation = null;
  let lastStats = {};
  let pendingBlob = null;
  let decoding = false;
  const drawTimes = [];
  const history = []; // { t, tau, score }
  let chartDirty = true; // draw the empty axes once

  // ---- connection -------------------------------------------------------------------------------------
  function setConn(state, text) {
    el.conn.dataset.state = state;
    el.connText.textContent = text;
    document.body.classList.toggle('offline', state !== 'live');
  }

  function connect() {
    clearTimeout(retryTimer);
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    setConn('connecting', 'connecting…');
    let socket;
    try {
      socket = new WebSocket(`${proto}//${location.host}/ws${tokenQuery}`, ['metacam']);
    } catch (e) {
      scheduleReconnect(`cannot connect: ${e.message}`);
      return;
    }
    ws = socket;
    socket.binaryType = 'blob';
    socket.onopen = () => {
      stats.connects++;
      retryMs = 500;
      setConn('live', 'live');
      hideToast();
    };
    socket.onmessage = (ev) => {
      if (typeof ev.data === 'string') {
        stats.textMessages++;
        onText(ev.data);
      } else {
        stats.binaryMessages++;
        onJpeg(ev.data);
      }
    };
    socket.onclose = (ev) => {
      if (ws !== socket) return;
      ws = null;
      const why = ev.reason ? ` (${ev.code}: ${ev.reason})` : ev.code && ev.code !== 1006 ? ` (${ev.code})` : '';
      if (ev.code === 1008 || ev.code === 1003 || ev.code === 1007 || ev.code === 1009) showToast(`server closed the connection${why}`);
      scheduleReconnect(`disconnected${why}`);
    };
  }

  function scheduleReconnect(text) {
    const wait = retryMs;
    retryMs = Math.min(retryMs * 2, 10000);
    setConn('closed', `${text} — retry in ${(wait / 1000).toFixed(wait < 1000 ? 1 : 0)} s`);
    retryTimer = setTimeout(connect, wait);
  }

  function send(msg) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
  }

  // ---- messages ---------------------------------------------------------------------------------------
  function onText(text) {
    let msg;
    try { msg = JSON.parse(text); } catch { return; }
    switch (msg.type) {
      case 'hello':
        if (Array.isArray(msg.labels) && msg.labels.length) setLabels(msg.labels);
        if (Array.isArray(msg.presets)) setPresets(msg.presets);
        if (msg.state) applyState(msg.state);
        break;
      case 'state':
        applyState(msg.state);
        break;
      case 'client':
        el.skipped.textContent = String(msg.skipped);
        break;
      case 'frame':
        onFrame(msg);
        break;
    }
  }

  function onFrame(msg) {
    const e = msg.explanation || {};
    lastExplanation = e;
    lastStats = msg.stats || {};
    const target = e.target || {};
    el.hud.hidden = false;
    const label = target.label ?? (labels[target.index] ?? `class ${target.index}`);
    if (label !== stats.lastLabel) {
      stats.lastLabel = label;
      el.label.textContent = label;
    }
    el.score.textContent = typeof target.score === 'number' ? `${(target.score * 100).toFixed(1)} %` : '–';
    el.frameIndex.textContent = String(e.index ?? msg.seq);
    el.dropped.textContent = String(lastStats.dropped ?? e.dropped ?? 0);
    const c = e.consensus || {};
    el.region.textContent = c.areaPercent != null
      ? `region ${c.areaPercent.toFixed(1)} %  ·  τ ${fmt(c.tauSmoothed, 3)}${e.sceneCut ? '  ·  scene cut' : ''}`
      : 'region –';
    renderTop5(e.top5 || [], target.index);
    renderMembers(e.members || {}, e.merged || []);
    renderTimings(e.timings || {});
    history.push({ t: performance.now(), tau: c.tauSmoothed, score: target.score });
    chartDirty = true;
  }

  function onJpeg(blob) {
    pendingBlob = blob; // newest wins
    if (!decoding) decodeNext();
  }

  async function decodeNext() {
    const blob = pendingBlob;
    pendingBlob = null;
    if (!blob) return;
    decoding = true;
    try {
      const bmp = await createImageBitmap(blob);
      if (el.canvas.width !== bmp.width || el.canvas.height !== bmp.height) {
        el.canvas.width = bmp.width;
        el.canvas.height = bmp.height;
      }
      ctx.drawImage(bmp, 0, 0);
      bmp.close();
      stats.framesDrawn++;
      el.placeholder.hidden = true;
      frameDrawn();
    } catch (e) {
      console.warn('cannot decode frame', e);
    } finally {
      decoding = false;
      if (pendingBlob) decodeNext();
    }
  }

  function frameDrawn() {
    const now = performance.now();
    drawTimes.push(now);
    while (drawTimes.length && now - drawTimes[0] > 2000) drawTimes.shift();
    if (drawTimes.length >= 2) {
      const fps = (drawTimes.length - 1) / ((now - drawTimes[0]) / 1000);
      el.fps.textContent = fps.toFixed(1);
    }
    // End-to-end latency (capture → drawn here) when the pipeline sends its capture time; else its own figure.
    if (typeof lastStats.capturedAt === 'number') {
      el.latency.textContent = `${Math.max(0, Date.now() - lastStats.capturedAt).toFixed(0)} ms`;
    } else if (typeof lastStats.latencyMs === 'number') {
      el.latency.textContent = `${lastStats.latencyMs.toFixed(0)} ms`;
    }
  }

  // ---- rendering --------------------------------------------------------------------------------------
  function fmt(v, digits) { return typeof v === 'number' && isFinite(v) ? v.toFixed(digits) : '–'; }

  function renderTop5(top5, targetIndex) {
    const rows = top5.slice(0, 5).map((c) => {
      const li = document.createElement('li');
      if (c.index === targetIndex) li.className = 'target';
      const name = document.createElement('div');
      name.className = 'name';
      const fill = document.createElement('div');
      fill.className = 'fill';
      fill.style.width = `${Math.max(0, Math.min(1, c.score)) * 100}%`;
      const span = document.createElement('span');
      span.textContent = c.label ?? labels[c.index] ?? `class ${c.index}`;
      name.append(fill, span);
      const pct = document.createElement('div');
      pct.className = 'pct';
      pct.textContent = `${(c.score * 100).toFixed(1)}%`;
      li.append(name, pct);
      return li;
    });
    el.top5.replaceChildren(...rows);
  }

  // A merged member's map equals an earlier member's on this frame: it is shown, but votes once (as `into`).
  function renderMembers(members, merged = []) {
    const names = Object.keys(members);
    const into = new Map(merged.map((m) => [m.id, m.into]));
    const distinct = names.length - names.filter((n) => into.has(n)).length;
    el.memberCount.textContent = names.length ? `(${names.length}${distinct < names.length ? `, ${distinct} distinct` : ''})` : '';
    el.members.replaceChildren(...names.map((n) => {
      const m = members[n] || {};
      const tr = document.createElement('tr');
      if (into.has(n)) tr.title = `same map as ${into.get(n)}: counted once in the consensus`;
      for (const v of [into.has(n) ? `${n} = ${into.get(n)}` : n, fmt(m.tauSmoothed, 3), `${fmt(m.areaPercent, 1)}%`]) {
        const td = document.createElement('td');
        td.textContent = v;
        tr.append(td);
      }
      return tr;
    }));
  }

  function renderTimings(timings) {
    const items = [];
    for (const [k, v] of Object.entries(timings)) {
      const item = document.createElement('div'); item.className = 'item';
      const a = document.createElement('span'); a.className = 'k'; a.textContent = k;
      const b = document.createElement('span'); b.textContent = fmt(v, 1);
      item.append(a, b);
      items.push(item);
    }
    el.timings.replaceChildren(...items);
  }

  function drawChart() {
    requestAnimationFrame(drawChart);
    if (!chartDirty) return;
    chartDirty = false;
    const c = el.chart;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(100, Math.round(c.clientWidth * dpr));
    const h = Math.max(60, Math.round(c.clientHeight * dpr));
    if (c.width !== w || c.height !== h) { c.width = w; c.height = h; }
    const g = c.getContext('2d');
    const now = performance.now();
    while (history.length && now - history[0].t > CHART_SECONDS * 1000) history.shift();
    g.clearRect(0, 0, w, h);
    const padL = 34 * dpr, padR = 8 * dpr, padT = 8 * dpr, padB = 18 * dpr;
    const x = (t) => padL + (w - padL - padR) * (1 - (now - t) / (CHART_SECONDS * 1000));
    const y = (v) => padT + (h - padT - padB) * (1 - v);
    g.font = `${10 * dpr}px system-ui, sans-serif`;
    g.lineWidth = 1;
    for (const v of [0, 0.25, 0.5, 0.75, 1]) {
      g.strokeStyle = v === 0 ? '#3a4352' : '#232a36';
      g.beginPath(); g.moveTo(padL, y(v)); g.lineTo(w - padR, y(v)); g.stroke();
      g.fillStyle = '#8b949e'; g.textAlign = 'right'; g.textBaseline = 'middle';
      g.fillText(v.toFixed(2), padL - 6 * dpr, y(v));
    }
    g.textAlign = 'center'; g.textBaseline = 'alphabetic';
    for (let s = 0; s <= CHART_SECONDS; s += 5) {
      const xx = padL + (w - padL - padR) * (1 - s / CHART_SECONDS);
      g.fillText(s === 0 ? 'now' : `−${s}s`, xx, h - 4 * dpr);
    }
    const line = (key, color) => {
      g.strokeStyle = color; g.lineWidth = 2 * dpr; g.lineJoin = 'round';
      g.beginPath();
      let started = false;
      let prevT = -Infinity;
      for (const p of history) {
        const v = p[key];
        if (typeof v !== 'number' || !isFinite(v) || p.t - prevT > 1500) started = false; // gap: no line across it
        prevT = p.t;
        if (typeof v !== 'number' || !isFinite(v)) continue;
        const px = x(p.t), py = y(Math.max(0, Math.min(1, v)));
        if (started) g.lineTo(px, py); else { g.moveTo(px, py); started = true; }
      }
      g.stroke();
    };
    line('score', '#3fb950');
    line('tau', '#f0883e');
  }

  // ---- controls ---------------------------------------------------------------------------------------
  function setLabels(list) {
    labels = list;
    const current = el.classPicker.value;
    const opts = [new Option('auto (top-1)', 'auto'), ...list.map((l, i) => new Option(`${i} · ${l}`, String(i)))];
    el.classPicker.replaceChildren(...opts);
    el.classPicker.value = current && [...el.classPicker.options].some((o) => o.value === current) ? current : 'auto';
  }

  function setPresets(list) {
    if (!list.length) return;
    const current = el.presetPicker.value;
    el.presetPicker.replaceChildren(...list.map((p) => new Option(p, p)));
    if (list.includes(current)) el.presetPicker.value = current;
  }

  function applyState(s) {
    if (!s) return;
    stats.state = s;
    for (const b of document.querySelectorAll('[data-view]')) {
      const on = b.dataset.view === s.view;
      b.classList.toggle('active', on);
      b.setAttribute('aria-checked', String(on));
    }
    el.classPicker.value = String(s.class);
    el.mode.textContent = s.class === 'auto' ? 'auto' : 'pinned';
    if (s.preset) el.presetPicker.value = s.preset;
    if (s.colormap) el.colormapPicker.value = s.colormap;
    if (typeof s.alpha === 'number' && document.activeElement !== el.alpha) {
      el.alpha.value = String(s.alpha);
      el.alphaValue.textContent = s.alpha.toFixed(2);
    }
  }

  for (const b of document.querySelectorAll('[data-view]')) {
    b.addEventListener('click', () => send({ type: 'setView', view: b.dataset.view }));
  }
  el.classPicker.addEventListener('change', () => {
    const v = el.classPicker.value;
    send({ type: 'setClass', class: v === 'auto' ? 'auto' : Number(v) });
  });
  el.presetPicker.addEventListener('change', () => send({ type: 'setPreset', preset: el.presetPicker.value }));
  el.colormapPicker.addEventListener('change', () => send({ type: 'setColormap', colormap: el.colormapPicker.value }));
  let alphaTimer = null;
  el.alpha.addEventListener('input', () => {
    const a = Number(el.alpha.value);
    el.alphaValue.textContent = a.toFixed(2);
    clearTimeout(alphaTimer); // stay well inside the server's message budget while dragging
    alphaTimer = setTimeout(() => send({ type: 'setAlpha', alpha: a }), 60);
  });

  function showToast(text) { el.toast.textContent = text; el.toast.hidden = false; }
  function hideToast() { el.toast.hidden = true; }

  async function loadInfo() {
    try {
      const res = await fetch(`/info${tokenQuery}`, { cache: 'no-store' });
      if (!res.ok) { showToast(`/info: ${res.status} ${await res.text()}`); return; }
      const info = await res.json();
      if (Array.isArray(info.labels)) setLabels(info.labels);
      if (Array.isArray(info.presets)) setPresets(info.presets);
      if (info.state) applyState(info.state);
    } catch (e) {
      console.warn('cannot load /info', e);
    }
  }

  loadInfo();
  connect();
  requestAnimationFrame(drawChart);
})();

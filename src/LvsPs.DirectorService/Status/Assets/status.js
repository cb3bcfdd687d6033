// The LvsPs director status page: polls /status/state every two seconds and draws the director like
// ipvsadm -L -n --stats --rate, with charts of the last five minutes' rates. No framework; the DOM is built with
// textContent only, so nothing from the director is ever parsed as HTML.
'use strict';

(() => {
  const POLL_MS = 2000;
  const WINDOW_MS = 5 * 60 * 1000;
  const RATES = ['cps', 'inPps', 'outPps', 'inBps', 'outBps'];
  const TOTALS = ['conns', 'inPkts', 'outPkts', 'inBytes', 'outBytes'];

  const $ = (id) => document.getElementById(id);
  let token = sessionStorage.getItem('lvsps-status-token');
  let actionsEnabled = false;
  const history = new Map(); // series key -> [{t, cps, inPps, outPps, inBps, outBps}]

  // --- a tiny DOM builder ---------------------------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
    return e;
  }

  const exact = (n) => Number(n).toLocaleString('en-US');
  function short(n, unit) {
    const steps = ['', 'K', 'M', 'G', 'T', 'P'];
    let i = 0;
    while (n >= 1000 && i < steps.length - 1) { n /= 1000; i++; }
    return (i === 0 ? String(Math.round(n)) : n.toFixed(n < 10 ? 1 : 0)) + ' ' + steps[i] + unit;
  }

  // --- history of rates -----------------------------------------------------------------------------------------
  function keyOf(service, rs) { return rs ? service.id + ' ' + rs.id : service.id; }

  function loadHistory(h) {
    history.clear();
    for (const [key, s] of Object.entries(h.series)) {
      history.set(key, h.times.map((t, i) => ({ t, cps: s.cps[i], inPps: s.inPps[i], outPps: s.outPps[i], inBps: s.inBps[i], outBps: s.outBps[i] })));
    }
  }

  function remember(key, t, stats) {
    let points = history.get(key);
    if (!points) history.set(key, points = []);
    const p = { t };
    for (const r of RATES) p[r] = stats[r];
    points.push(p);
    while (points.length && points[0].t < t - WINDOW_MS) points.shift();
  }

  // --- charts: inline SVG polylines over the last five minutes ------------------------------------------------------
  const SVG = 'http://www.w3.org/2000/svg';
  // the x axis runs from the oldest point (at least a minute, at most five minutes ago) to now
  function span(points, now) { return points.length ? Math.min(WINDOW_MS, Math.max(60000, now - points[0].t)) : WINDOW_MS; }

  function chart(title, points, series, unit, now) {
    const w = 240, h = 56;
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
    svg.setAttribute('preserveAspectRatio', 'none'); // stretch to the box; the lines keep their width (CSS)
    svg.setAttribute('class', 'chart');
    svg.setAttribute('role', 'img');
    const width = span(points, now);
    let max = 1;
    for (const p of points) for (const s of series) if (p[s.field] > max) max = p[s.field];
    for (const s of series) {
      const coords = points.filter((p) => p[s.field] !== null && p[s.field] !== undefined)
        .map((p) => `${(w * (1 - (now - p.t) / width)).toFixed(1)},${(h - 2 - (h - 14) * p[s.field] / max).toFixed(1)}`);
      if (coords.length === 0) continue;
      const line = document.createElementNS(SVG, 'polyline');
      line.setAttribute('points', coords.join(' '));
      line.setAttribute('class', 'line ' + s.css);
      svg.append(line);
    }
    const last = points.length ? points[points.length - 1] : null;
    const label = series.map((s) => `${s.name} ${last ? short(last[s.field] || 0, unit) : '–'}`).join('  ');
    const desc = document.createElementNS(SVG, 'title');
    desc.textContent = `${title} over the last ${Math.round(width / 60000)} minute(s) (peak ${short(max, unit)})`;
    svg.append(desc);
    return el('figure', { class: 'chart-box' }, el('figcaption', {}, el('b', {}, title), ' ', label), svg);
  }

  function charts(points, now) {
    return el('div', { class: 'charts' },
      chart('Connections/s', points, [{ field: 'cps', name: '', css: 'a' }], '', now),
      chart('Packets/s', points, [{ field: 'inPps', name: 'in', css: 'a' }, { field: 'outPps', name: 'out', css: 'b' }], '', now),
      chart('Bytes/s', points, [{ field: 'inBps', name: 'in', css: 'a' }, { field: 'outBps', name: 'out', css: 'b' }], 'B', now));
  }

  // --- the listing ------------------------------------------------------------------------------------------------
  const COLUMNS = [
    ['Weight', 'share of new connections; 0 = quiesced'], ['Health', 'what the health check last found'],
    ['Active', 'established connections (ActiveConn)'], ['Inactive', 'other entries: closing, waiting, UDP (InActConn)'],
    ['Conns', 'connections since the counters were zeroed'], ['Pkts in', 'packets client to server'], ['Pkts out', 'packets server to client'],
    ['Bytes in', 'bytes client to server'], ['Bytes out', 'bytes server to client'],
    ['Conn/s', 'CPS'], ['Pkt/s in', 'InPPS'], ['Pkt/s out', 'OutPPS'], ['B/s in', 'InBPS'], ['B/s out', 'OutBPS'],
  ];

  function numberCells(stats) {
    return [...TOTALS, ...RATES].map((f) => el('td', { class: 'num', 'data-field': f }, exact(stats[f])));
  }

  function healthCell(rs, service) {
    if (!rs.health) return el('td', { class: 'health', 'data-field': 'health' }, service.healthChecked ? '' : el('span', { class: 'muted' }, 'no check'));
    const h = rs.health;
    const label = h.state === 'Unknown' ? 'not checked yet' : h.state.toLowerCase();
    return el('td', { class: 'health', 'data-field': 'health', title: h.lastCheck ? `${h.checkType} check at ${new Date(h.lastCheck).toLocaleTimeString()}` : '' },
      el('span', { class: 'chip ' + h.state.toLowerCase() }, label), h.lastResult ? el('div', { class: 'result' }, h.lastResult) : null);
  }

  function actionButtons(service, rs) {
    if (!actionsEnabled) return null;
    const td = el('td', { class: 'actions' });
    if (rs.draining) td.append(el('span', { class: 'chip draining' }, 'draining'));
    if (rs.weight > 0) {
      td.append(el('button', { type: 'button', 'data-action': 'quiesce', onclick: () => act('quiesce', service, rs) }, 'Quiesce'));
    } else {
      td.append(el('button', { type: 'button', 'data-action': 'restore', onclick: () => act('restore', service, rs) }, 'Restore'));
    }
    if (!rs.draining) td.append(el('button', { type: 'button', 'data-action': 'drain', onclick: () => act('drain', service, rs) }, 'Drain'));
    return td;
  }

  function serviceCard(service, now) {
    const head = el('tr', {}, el('th', { class: 'name' }, 'Real server'), el('th', {}, 'Forward'),
      COLUMNS.map(([c, t]) => el('th', { title: t, class: c === 'Health' ? null : 'num' }, c)), actionsEnabled ? el('th', {}, '') : null);
    const rows = service.realServers.map((rs) => el('tr', { 'data-key': keyOf(service, rs), class: rs.weight === 0 ? 'quiesced' : null },
      el('td', { class: 'name' }, '→ ' + rs.id, rs.overloaded ? el('span', { class: 'chip down', title: 'over its upper threshold' }, 'overloaded') : null),
      el('td', {}, rs.forward),
      el('td', { class: 'num', 'data-field': 'weight' }, exact(rs.weight)),
      healthCell(rs, service),
      el('td', { class: 'num', 'data-field': 'active' }, exact(rs.activeConnections)),
      el('td', { class: 'num', 'data-field': 'inactive' }, exact(rs.inactiveConnections)),
      numberCells(rs.stats),
      actionButtons(service, rs)));
    const total = el('tr', { class: 'total', 'data-key': keyOf(service) },
      el('td', { class: 'name' }, 'all real servers'), el('td', {}, ''), el('td', {}, ''), el('td', {}, ''),
      el('td', { class: 'num', 'data-field': 'active' }, exact(service.activeConnections)),
      el('td', { class: 'num', 'data-field': 'inactive' }, exact(service.inactiveConnections)),
      numberCells(service.stats), actionsEnabled ? el('td', {}, '') : null);
    const empty = service.realServers.length === 0 ? el('tr', {}, el('td', { colspan: 16, class: 'muted' }, 'no real servers: connections to this service are refused')) : null;
    return el('section', { class: 'service', 'data-service': service.id },
      el('h2', {}, service.name, ' ', el('span', { class: 'badge sched', title: 'scheduler' }, service.scheduler),
        service.flags ? el('span', { class: 'flags' }, service.flags) : null,
        service.relayPath ? el('span', { class: 'badge', title: 'the path that relays this service\'s bytes' }, service.relayPath) : null),
      charts(history.get(keyOf(service)) || [], now),
      el('div', { class: 'table' }, el('table', {}, el('thead', {}, head), el('tbody', {}, rows, empty, total))));
  }

  function render(state) {
    const d = state.director;
    $('director').textContent = `${d.kind} director · IPVS ${d.version} · ${exact(d.connections)} connection entries` +
      (d.startTime ? ` · up since ${new Date(d.startTime).toLocaleString()}` : '');
    // the director's part in a failover pair or BGP group (none when it serves alone)
    const r = d.role;
    $('role').hidden = !r;
    if (r) {
      $('role').textContent = (r.role === 'Standalone' ? 'BGP' : r.role) + (r.suspended ? ' (suspended)' : '') + (r.node ? ' · ' + r.node : '');
      $('role').className = 'badge role ' + r.role.toLowerCase();
      $('role').title = [r.peers.length ? 'peers: ' + r.peers.join(', ') : null, r.since ? 'since ' + new Date(r.since).toLocaleString() : null,
        r.announced.length ? 'announced: ' + r.announced.join(', ') : null, r.problem].filter(Boolean).join('; ');
    }
    actionsEnabled = state.actions.enabled;
    $('mode').textContent = actionsEnabled ? (token ? 'changes unlocked' : 'changes locked') : 'read-only';
    $('mode').className = 'badge ' + (actionsEnabled && token ? 'unlocked' : '');
    $('unlock').hidden = !actionsEnabled;
    $('unlock').textContent = token ? 'Lock' : 'Unlock changes';
    const now = Date.parse(state.time);
    const main = $('services');
    main.replaceChildren(...(state.services.length ? state.services.map((s) => serviceCard(s, now))
      : [el('p', { class: 'muted' }, 'No virtual services yet: New-LvsVirtualService creates one.')]));
    $('updated').textContent = 'updated ' + new Date(now).toLocaleTimeString();
    $('updated').dataset.time = state.time;
    $('updated').classList.remove('stale');
  }

  // --- polling --------------------------------------------------------------------------------------------------
  let first = true;
  let asked = 0, drawn = 0; // an answer that arrives after a newer one is not drawn
  async function refresh() {
    const mine = ++asked;
    try {
      const response = await fetch('/status/state' + (first ? '?history=1' : ''), { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const state = await response.json();
      if (mine < drawn) return state;
      drawn = mine;
      const t = Date.parse(state.time);
      if (state.history) loadHistory(state.history);
      for (const s of state.services) {
        remember(keyOf(s), t, s.stats);
        for (const rs of s.realServers) remember(keyOf(s, rs), t, rs.stats);
      }
      first = false;
      render(state);
      return state;
    } catch (e) {
      $('updated').textContent = 'no answer from the director service (' + e.message + '); retrying';
      $('updated').classList.add('stale');
      return null;
    }
  }

  async function loop() {
    await refresh();
    setTimeout(loop, POLL_MS);
  }

  // --- changes: confirmation, then POST with the token in a header ------------------------------------------------
  const DESCRIBE = {
    quiesce: (s, rs) => `Quiesce ${rs.id} in ${s.id}: weight ${rs.weight} → 0. It gets no new connections; established ones continue.`,
    drain: (s, rs) => `Drain ${rs.id} in ${s.id}: weight ${rs.weight} → 0, and remove it from the service once its ${rs.activeConnections} active connection(s) end (at most 5 minutes).`,
    restore: (s, rs) => `Restore ${rs.id} in ${s.id}: weight 0 → the weight below. It gets new connections again.`,
  };

  function act(action, service, rs) {
    if (!token) { askToken(); return; }
    $('confirm-text').textContent = DESCRIBE[action](service, rs);
    $('confirm-weight-label').hidden = action !== 'restore';
    $('confirm-weight').value = rs.restoreWeight || 1;
    $('confirm-error').hidden = true;
    $('confirm-ok').textContent = action[0].toUpperCase() + action.slice(1);
    $('confirm-ok').onclick = async () => {
      const body = { action, virtualService: service.id, realServer: rs.id };
      if (action === 'restore') body.weight = Number($('confirm-weight').value);
      const response = await fetch('/status/action', {
        method: 'POST', cache: 'no-store',
        headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token },
        body: JSON.stringify(body),
      });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) {
        if (response.status === 401) forgetToken();
        $('confirm-error').textContent = (answer.error && answer.error.message) || `HTTP ${response.status}`;
        $('confirm-error').hidden = false;
        return;
      }
      $('confirm').close();
      await refresh();
    };
    $('confirm').showModal();
  }

  function askToken() {
    $('token-input').value = '';
    $('token').showModal();
  }

  function forgetToken() {
    token = null;
    sessionStorage.removeItem('lvsps-status-token');
  }

  function init() {
    $('confirm-cancel').onclick = () => $('confirm').close();
    $('token-cancel').onclick = () => $('token').close();
    $('token-ok').onclick = () => {
      token = $('token-input').value.trim() || null;
      if (token) sessionStorage.setItem('lvsps-status-token', token);
      $('token').close();
      refresh();
    };
    $('unlock').onclick = () => { if (token) { forgetToken(); refresh(); } else askToken(); };
    loop();
  }

  // for tests and the curious: lvsStatus.refresh() polls now and resolves with the state it drew
  window.lvsStatus = { refresh };
  init();
})();

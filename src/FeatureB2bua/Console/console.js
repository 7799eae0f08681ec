// The FeatureB2bua console: reads the admin API, follows /api/events, draws SIP ladders. Plain DOM, no framework;
// every value from the server goes in through textContent or an attribute, never as markup.
'use strict';

const TOKEN_KEY = 'featureb2bua.console.token';
const SVG = 'http://www.w3.org/2000/svg';
const RECENT_LIMIT = 50;
const UPSTREAM_POLL_MS = 10000;
const CONFIRM_MS = 4000;

const state = {
  calls: [],            // the last GET /api/calls or `calls` event
  callsAt: 0,           // performance.now() when they came, to tick durations between events
  traces: [],
  cdrs: [],
  actions: false,       // hang-up and remove buttons are shown
  ladderCallId: null,
  ladder: null,         // the open call's trace
  selectedSeq: null,
};

const $ = (id) => document.getElementById(id);

function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

function authHeaders() {
  const t = token();
  return t ? { Authorization: 'Bearer ' + t } : {};
}

async function getJson(path, headers) {
  const response = await fetch(path, { headers: headers || {}, cache: 'no-store' });
  if (!response.ok) {
    throw new Error(path + ': HTTP ' + response.status);
  }
  return response.json();
}

// Runs fn at most once per `ms`, the last call winning: a burst of SSE events costs one fetch.
function coalesce(fn, ms) {
  let timer = null;
  return () => {
    if (timer === null) {
      timer = setTimeout(() => { timer = null; fn(); }, ms);
    }
  };
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function formatDuration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n) => String(n).padStart(2, '0');
  return (h > 0 ? h + ':' + pad(m) : String(m)) + ':' + pad(s % 60);
}

function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleTimeString([], { hour12: false }) + (sameDay(d, new Date()) ? '' : ' ' + d.toLocaleDateString());
}

function sameDay(a, b) {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

function formatOffset(ms) {
  return '+' + (ms / 1000).toFixed(3) + ' s';
}

// Rows are keyed (data-key) and patched cell by cell, so that a once-a-second update keeps the focus and a
// half-confirmed button of a row whose other cells changed.
function setRows(testId, rows) {
  const table = document.querySelector('[data-testid="' + testId + '"]');
  const body = table.tBodies[0];
  // Each cell carries its column's name, which the phone layout shows beside it in place of the header row.
  const names = [...table.tHead.rows[0].cells].map((th) => th.textContent);
  for (const row of rows) {
    [...row.cells].forEach((cell, i) => { cell.dataset.th = names[i] || ''; });
  }
  const old = new Map([...body.rows].map((r) => [r.dataset.key, r]));
  const next = rows.map((row) => {
    const kept = old.get(row.dataset.key);
    if (!kept || kept.cells.length !== row.cells.length) return row;
    for (const { name, value } of row.attributes) kept.setAttribute(name, value);
    [...row.cells].forEach((cell, i) => {
      if (!kept.cells[i].isEqualNode(cell)) kept.cells[i].replaceWith(cell);
    });
    return kept;
  });
  if (next.length !== body.rows.length || next.some((row, i) => body.rows[i] !== row)) {
    body.replaceChildren(...next);
  }
  document.querySelector('[data-empty-for="' + testId + '"]').hidden = rows.length > 0;
}

function featureList(features) {
  const list = el('ul', { class: 'chips' });
  for (const f of features || []) list.append(el('li', { text: f }));
  return list;
}

function partyCell(caller, dialled, detail) {
  return el('td', { class: 'party' },
    el('span', { class: 'caller', text: caller }),
    el('span', { class: 'arrow', 'aria-hidden': 'true', text: ' → ' }),
    el('span', { class: 'sr-only', text: ' to ' }),
    el('span', { class: 'dialled', text: dialled }),
    detail ? el('small', { text: detail }) : null);
}

function ladderButton(callId) {
  return el('button', {
    type: 'button', class: 'link', text: 'Ladder',
    'aria-label': 'Ladder of call ' + callId,
    onclick: () => openLadder(callId),
  });
}

// A destructive button asks once more on its first click; a second click within a few seconds acts. Which
// buttons are armed is kept by key, outside the button, as rows are rebuilt while the user decides.
const armed = new Map();

function confirmButton(label, confirmLabel, testId, key, action) {
  const button = el('button', { type: 'button', class: 'danger', 'data-testid': testId, 'data-confirm-key': key, text: armed.has(key) ? confirmLabel : label });
  button.addEventListener('click', async () => {
    if (!armed.has(key)) {
      armed.set(key, setTimeout(() => {
        armed.delete(key);
        for (const b of document.querySelectorAll('button[data-confirm-key]')) {
          if (b.dataset.confirmKey === key) b.textContent = label;
        }
      }, CONFIRM_MS));
      button.textContent = confirmLabel;
      return;
    }
    clearTimeout(armed.get(key));
    armed.delete(key);
    button.disabled = true;
    try {
      await action();
    } catch (e) {
      button.disabled = false;
      button.textContent = label;
      showError(e);
    }
  });
  return button;
}

async function act(method, path) {
  const response = await fetch(path, { method, headers: authHeaders() });
  if (response.status === 401) {
    await checkToken();
    throw new Error('the token was refused (401)');
  }
  if (!response.ok) {
    throw new Error(method + ' ' + path + ': HTTP ' + response.status);
  }
}

function showError(e) {
  $('live').textContent = String(e.message || e);
  $('live').className = 'live bad';
}

// --- active calls ---------------------------------------------------------------------------------

function renderCalls() {
  const rows = state.calls.map((c) => {
    const packets = c.media
      ? el('td', { class: 'num' },
        el('span', { title: 'packets from A towards B', text: 'A→B ' + c.media.packetsFromA }),
        el('br'),
        el('span', { title: 'packets from B towards A', text: 'B→A ' + c.media.packetsFromB }),
        c.media.oneWay ? el('small', { class: 'warn', text: ' one-way: ' + c.media.oneWay + ' silent' }) : null)
      : el('td', { class: 'num', text: '–' });
    const legs = 'A ' + c.aCallId + (c.bCallId ? ' · B ' + c.bCallId : '') + (c.branches > 1 ? ' · ' + c.branches + ' branches' : '');
    return el('tr', { 'data-testid': 'call-row', 'data-call-id': c.aCallId, 'data-key': c.aCallId },
      partyCell(c.caller, c.dialled, legs + (c.target ? ' · to ' + c.target : '')),
      el('td', {}, el('span', { class: 'state state-' + String(c.state).toLowerCase(), text: c.state })),
      el('td', { class: 'num duration', 'data-seconds': c.durationSeconds, text: formatDuration(c.durationSeconds) }),
      el('td', {}, featureList(c.features)),
      packets,
      el('td', { class: 'actions' },
        ladderButton(c.aCallId),
        state.actions
          ? confirmButton('Hang up', 'Confirm hang-up', 'hangup', 'call ' + c.aCallId, () => act('DELETE', '/api/calls/' + encodeURIComponent(c.aCallId)))
          : null));
  });
  setRows('active-calls', rows);
  $('active-count').textContent = state.calls.length ? '(' + state.calls.length + ')' : '';
}

// Between updates the clock goes on here: call durations count up, registration expiries down.
function tick() {
  const sinceCalls = (performance.now() - state.callsAt) / 1000;
  for (const cell of document.querySelectorAll('[data-testid="active-calls"] .duration')) {
    cell.textContent = formatDuration(Number(cell.dataset.seconds) + sinceCalls);
  }
  const sinceRegistrations = (performance.now() - registrationsAt) / 1000;
  for (const cell of document.querySelectorAll('[data-testid="registrations"] .expires')) {
    cell.textContent = formatDuration(Number(cell.dataset.seconds) - sinceRegistrations);
  }
}

function setCalls(calls) {
  const before = new Set(state.calls.map((c) => c.aCallId));
  state.calls = calls;
  state.callsAt = performance.now();
  renderCalls();

  // A call that left the active list has a CDR and an ended trace now.
  if ([...before].some((id) => !calls.some((c) => c.aCallId === id))) {
    refreshRecent();
  }
}

// --- recent calls ---------------------------------------------------------------------------------

function renderRecent() {
  const traced = new Set(state.traces.map((t) => t.callId));
  const byId = new Map();
  for (const t of state.traces.filter((t) => t.endedAt)) {
    byId.set(t.callId, { callId: t.callId, caller: t.caller, dialled: t.dialled, endedAt: t.endedAt, result: t.result, features: [], messages: t.messages });
  }
  for (const r of state.cdrs) {
    const row = byId.get(r.callId) || { callId: r.callId, caller: r.caller, dialled: r.dialled, messages: null };
    byId.set(r.callId, Object.assign(row, {
      endedAt: r.endedAt,
      result: r.result + (r.finalStatus ? ' (' + r.finalStatus + ')' : ''),
      features: r.features,
      target: r.finalTarget,
    }));
  }
  const rows = [...byId.values()]
    .sort((a, b) => String(b.endedAt).localeCompare(String(a.endedAt)))
    .map((r) => el('tr', { 'data-call-id': r.callId, 'data-key': r.callId },
      partyCell(r.caller, r.dialled, r.target ? 'to ' + r.target : null),
      el('td', { text: formatTime(r.endedAt) }),
      el('td', { text: r.result || '' }),
      el('td', {}, featureList(r.features)),
      el('td', { class: 'actions' }, traced.has(r.callId) ? ladderButton(r.callId) : el('small', { text: 'no trace kept' }))));
  setRows('recent-calls', rows);
}

const refreshRecent = coalesce(async () => {
  try {
    const [traces, cdrs] = await Promise.all([getJson('/api/traces'), getJson('/api/cdrs?limit=' + RECENT_LIMIT)]);
    state.traces = traces;
    state.cdrs = cdrs;
    renderRecent();
  } catch (e) {
    showError(e);
  }
}, 250);

// --- registrations and upstreams ------------------------------------------------------------------

let registrations = [];
let registrationsAt = 0;

function renderRegistrations() {
  const rows = registrations.map((r) => el('tr', { 'data-key': r.aor + ' ' + r.contact },
    el('td', { text: r.aor }),
    el('td', {}, el('span', { class: 'mono', text: r.contact }), r.userAgent ? el('small', { text: r.userAgent }) : null),
    el('td', { class: 'num expires', 'data-seconds': r.expiresIn, text: formatDuration(r.expiresIn) }),
    el('td', { text: r.source }),
    el('td', { class: 'actions' }, state.actions
      ? confirmButton('Remove', 'Confirm remove', 'remove-registration', 'binding ' + r.aor + ' ' + r.contact, async () => {
        await act('DELETE', '/api/registrations/' + encodeURIComponent(r.aor) + '?contact=' + encodeURIComponent(r.contact));
        refreshRegistrations();
      })
      : null)));
  setRows('registrations', rows);
  $('reg-count').textContent = registrations.length ? '(' + registrations.length + ')' : '';
}

function setRegistrations(list) {
  registrations = list;
  registrationsAt = performance.now();
  renderRegistrations();
}

const refreshRegistrations = coalesce(async () => {
  try {
    setRegistrations(await getJson('/api/registrations'));
  } catch (e) {
    showError(e);
  }
}, 250);

async function refreshUpstreams() {
  try {
    const upstreams = await getJson('/api/upstreams');
    setRows('upstreams', upstreams.map((u) => el('tr', { 'data-key': u.upstream },
      el('td', { class: 'mono', text: u.upstream }),
      el('td', {}, el('span', { class: u.usable ? 'ok' : 'bad', text: u.usable ? 'yes' : 'no' })),
      el('td', { text: u.probe + (u.consecutiveProbeFailures ? ' (' + u.consecutiveProbeFailures + ' failed)' : '') }),
      el('td', { text: u.breaker }),
      el('td', { text: u.lastProbeAt ? formatTime(u.lastProbeAt) + ' ' + (u.lastProbeStatus || u.lastProbeResult || '') : 'never' }))));
  } catch (e) {
    showError(e);
  }
}

// --- ladder ---------------------------------------------------------------------------------------

// Column widths follow the pane (a phone scrolls the ladder sideways below the minimum); label text is cut to
// the arrow's length at about 7.3 px a character of the 12 px monospace font.
const LADDER = { top: 64, row: 28, gutter: 72, minColumn: 112, maxColumn: 220, right: 16, charWidth: 7.3 };

async function openLadder(callId) {
  if (state.ladderCallId !== callId) {
    state.selectedSeq = null;
  }
  state.ladderCallId = callId;
  if (location.hash !== '#call=' + encodeURIComponent(callId)) {
    history.replaceState(null, '', '#call=' + encodeURIComponent(callId));
  }
  await refreshLadder();
  $('ladder-title').scrollIntoView({ block: 'nearest' });
}

function closeLadder() {
  state.ladderCallId = null;
  state.ladder = null;
  state.selectedSeq = null;
  history.replaceState(null, '', location.pathname);
  renderLadder();
}

async function refreshLadder() {
  const callId = state.ladderCallId;
  if (callId === null) return;
  try {
    const trace = await getJson('/api/calls/' + encodeURIComponent(callId) + '/trace');
    if (state.ladderCallId === callId) {
      state.ladder = trace;
      renderLadder();
    }
  } catch (e) {
    state.ladder = null;
    renderLadder();
    $('ladder-hint').textContent = 'No trace of call ' + callId + ' is kept (' + e.message + ').';
  }
}

const refreshLadderSoon = coalesce(refreshLadder, 200);

// Columns: A-party, the B2BUA, then one per B-leg in the trace's order (the first callee, then each forwarded
// or forked target). A message of leg L is an arrow between L's column and the B2BUA's.
function renderLadder() {
  const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest('[data-testid="ladder-arrow"]');
  const host = $('ladder');
  const trace = state.ladder;
  host.replaceChildren();
  $('ladder-head').hidden = trace === null;
  $('detail').hidden = true;
  if (trace === null) {
    $('ladder-hint').hidden = false;
    $('ladder-hint').textContent = 'Pick a call’s “Ladder” button to see every SIP message of its legs.';
    return;
  }
  $('ladder-hint').hidden = true;
  const summary = state.traces.find((t) => t.callId === trace.callId) || state.calls.find((c) => c.aCallId === trace.callId);
  $('ladder-call').textContent = (summary ? summary.caller + ' → ' + summary.dialled + ' · ' : '') + 'Call-ID ' + trace.callId
    + ' · ' + trace.messages.length + ' messages';
  $('ladder-export').href = '/api/calls/' + encodeURIComponent(trace.callId) + '/trace.txt';
  $('ladder-export').setAttribute('download', 'trace-' + trace.callId + '.txt');

  const aLeg = trace.legs.find((l) => l.id === 'A') || { id: 'A', label: 'A-party' };
  const bLegs = trace.legs.filter((l) => l.id !== 'A');
  const columns = [aLeg, { id: 'B2BUA', label: 'B2BUA' }, ...bLegs];
  const available = host.parentElement.clientWidth - LADDER.gutter - LADDER.right;
  const column = Math.max(LADDER.minColumn, Math.min(LADDER.maxColumn, Math.floor(available / columns.length)));
  const x = (i) => LADDER.gutter + column / 2 + i * column;
  const fits = (span) => Math.max(4, Math.floor(span / LADDER.charWidth));
  const columnOf = new Map(columns.map((c, i) => [c.id, i]));
  const width = LADDER.gutter + columns.length * column + LADDER.right;
  // The trace keeps a long call's first and latest messages; where seq jumps, a row says how many were left out.
  const rows = [];
  trace.messages.forEach((m, i) => {
    const before = i === 0 ? -1 : trace.messages[i - 1].seq;
    if (m.seq > before + 1) rows.push({ gap: m.seq - before - 1 });
    rows.push(m);
  });
  const height = LADDER.top + rows.length * LADDER.row + 16;

  const root = svg('svg', {
    width, height, viewBox: '0 0 ' + width + ' ' + height, class: 'ladder-svg',
    role: 'group', 'aria-label': 'SIP ladder of call ' + trace.callId,
  });
  const defs = svg('defs', {});
  for (const kind of ['request', 'response']) {
    const marker = svg('marker', { id: 'head-' + kind, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: 'auto' });
    marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'head-' + kind }));
    defs.append(marker);
  }
  root.append(svg('title', {}, 'SIP ladder of call ' + trace.callId), defs);

  columns.forEach((c, i) => {
    const g = svg('g', { 'data-testid': 'ladder-column', 'data-leg': c.id, class: 'column' + (c.id === 'B2BUA' ? ' us' : '') });
    const heading = c.id === 'A' || c.id === 'B2BUA' ? c.label : c.label + ' ' + c.id;
    g.append(svg('text', { x: x(i), y: 18, class: 'column-label' }, heading));
    const sub = c.target || c.peer || '';
    if (sub) g.append(svg('text', { x: x(i), y: 34, class: 'column-sub' }, shorten(sub, fits(column - 8))));
    if (c.peer && c.target) g.append(svg('text', { x: x(i), y: 48, class: 'column-sub' }, shorten(c.peer, fits(column - 8))));
    if (c.callId) g.append(svg('title', {}, 'Call-ID ' + c.callId + (c.peer ? '\n' + c.peer : '') + (c.target ? '\n' + c.target : '')));
    g.append(svg('line', { x1: x(i), y1: LADDER.top - 8, x2: x(i), y2: height - 4, class: 'lifeline' }));
    root.append(g);
  });

  const us = columnOf.get('B2BUA');
  rows.forEach((m, row) => {
    if (m.gap) {
      const y = LADDER.top + row * LADDER.row + LADDER.row / 2;
      root.append(svg('text', { x: width / 2, y: y + 4, class: 'gap' }, '⋯ ' + m.gap + (m.gap === 1 ? ' message' : ' messages') + ' not kept ⋯'));
      return;
    }
    const far = columnOf.has(m.leg) ? columnOf.get(m.leg) : columns.length - 1;
    // "in" travels towards the B2BUA.
    const [from, to] = m.direction === 'in' ? [far, us] : [us, far];
    const y = LADDER.top + row * LADDER.row + LADDER.row / 2;
    const kind = isRequest(m.label) ? 'request' : 'response';
    const g = svg('g', {
      'data-testid': 'ladder-arrow', 'data-leg': m.leg, 'data-label': m.label, 'data-direction': m.direction, 'data-seq': m.seq,
      class: 'msg ' + kind + (m.seq === state.selectedSeq ? ' selected' : ''),
      role: 'button', tabindex: 0,
      'aria-label': m.label + ', leg ' + m.leg + ', ' + (m.direction === 'in' ? 'received' : 'sent') + ' at ' + formatOffset(m.offsetMs),
    });
    g.append(
      // The whole row takes the click, the time offset included: an easier target than a thin line.
      svg('rect', { x: 0, y: y - LADDER.row / 2, width, height: LADDER.row, class: 'hit' }),
      svg('line', { x1: x(from), y1: y + 4, x2: x(to), y2: y + 4, class: 'shaft', 'marker-end': 'url(#head-' + kind + ')' }),
      svg('title', {}, m.label + ' (' + m.cseq + ')'),
      svg('text', { x: (x(from) + x(to)) / 2, y: y - 1, class: 'msg-label' }, shorten(m.label, fits(Math.abs(x(to) - x(from)) - 12))),
      svg('text', { x: LADDER.gutter - 8, y: y + 4, class: 'offset' }, formatOffset(m.offsetMs)));
    g.addEventListener('click', () => selectMessage(m.seq));
    g.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        selectMessage(m.seq);
      }
    });
    root.append(g);
  });
  host.append(root);
  if (state.selectedSeq !== null) showDetail(state.selectedSeq);
  if (focused) {
    const again = host.querySelector('[data-testid="ladder-arrow"][data-seq="' + focused.dataset.seq + '"]');
    if (again) again.focus();
  }
}

function isRequest(label) {
  return !/^\d{3}\b/.test(label);
}

function shorten(text, max) {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

function selectMessage(seq) {
  state.selectedSeq = seq;
  for (const g of document.querySelectorAll('[data-testid="ladder-arrow"]')) {
    g.classList.toggle('selected', Number(g.dataset.seq) === seq);
  }
  showDetail(seq);
}

function showDetail(seq) {
  const m = state.ladder && state.ladder.messages.find((x) => x.seq === seq);
  const pane = $('detail');
  if (!m) {
    pane.hidden = true;
    return;
  }
  const arrow = m.direction === 'in' ? m.remote + ' → ' + m.local : m.local + ' → ' + m.remote;
  pane.textContent = m.at + '  ' + formatOffset(m.offsetMs) + '  leg ' + m.leg + '  ' + m.direction + '  ' + m.transport + '  ' + arrow + '\n\n' + m.text;
  pane.hidden = false;
}

// --- token ----------------------------------------------------------------------------------------

async function checkToken() {
  let info;
  try {
    info = await getJson('/api/console', authHeaders());
  } catch (e) {
    showError(e);
    return;
  }
  $('open-banner').hidden = info.actionsNeedToken;
  const t = token();
  const stateLine = $('token-state');
  if (!info.actionsNeedToken) {
    stateLine.textContent = 'actions open to all';
    stateLine.className = 'token-state warn';
  } else if (!t) {
    stateLine.textContent = 'read-only';
    stateLine.className = 'token-state';
  } else if (info.tokenValid) {
    stateLine.textContent = 'token accepted';
    stateLine.className = 'token-state ok';
  } else {
    stateLine.textContent = 'token refused: read-only';
    stateLine.className = 'token-state bad';
  }
  const actions = !info.actionsNeedToken || (t !== '' && info.tokenValid);
  if (actions !== state.actions) {
    state.actions = actions;
    renderCalls();
    renderRegistrations();
  }
}

function setupToken() {
  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const value = $('token').value.trim();
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
    $('token').value = '';
    checkToken();
  });
  $('token-forget').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    $('token').value = '';
    checkToken();
  });
}

// --- live updates ---------------------------------------------------------------------------------

let source = null;
let retryMs = 1000;

function connect() {
  source = new EventSource('/api/events');
  source.addEventListener('open', () => {
    retryMs = 1000;
    $('live').textContent = 'live';
    $('live').className = 'live ok';
    // Whatever happened while the stream was down is read again.
    loadAll();
  });
  source.addEventListener('calls', (e) => setCalls(JSON.parse(e.data)));
  source.addEventListener('registrations', (e) => setRegistrations(JSON.parse(e.data)));
  source.addEventListener('trace', (e) => {
    const { callId } = JSON.parse(e.data);
    if (callId === state.ladderCallId) refreshLadderSoon();
    refreshRecent();
  });
  source.addEventListener('error', () => {
    $('live').textContent = 'reconnecting…';
    $('live').className = 'live warn';
    // The browser retries by itself unless the stream failed for good (an HTTP error, the host gone): then we do.
    if (source.readyState === EventSource.CLOSED) {
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 30000);
    }
  });
}

async function loadAll() {
  try {
    setCalls(await getJson('/api/calls'));
  } catch (e) {
    showError(e);
  }
  refreshRecent();
  refreshRegistrations();
  refreshUpstreams();
  checkToken();
  refreshLadderSoon();
}

function start() {
  setupToken();
  $('ladder-close').addEventListener('click', closeLadder);
  window.addEventListener('resize', coalesce(() => { if (state.ladder) renderLadder(); }, 150));
  renderCalls();
  renderRecent();
  renderRegistrations();
  const match = /^#call=(.+)$/.exec(location.hash);
  if (match) openLadder(decodeURIComponent(match[1]));
  loadAll();
  setInterval(tick, 1000);
  setInterval(refreshUpstreams, UPSTREAM_POLL_MS);
  connect();
}

start();

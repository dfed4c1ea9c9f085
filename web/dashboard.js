// statd dashboard: watches statd servers side by side, in columns, like
// rt-stat's monitoring page. Data comes over rt-stat's WebSocket protocol
// (push every interval, in-band auth::TOKEN); with statd's `plugins::`
// extension (docs/extensions.md) a connection also gets the hostname,
// network rates, temperatures, file systems and top processes. Against an
// original rt-stat server that command is just an ignored error, and the
// page shows what the four built-in keys carry. See web/README.md.
'use strict';

const STORE_KEY = 'statdDashboard';
const PLUGINS = 'cpu_stat,meminfo,processes,uptime,hostname,network,temperatures,filesystems,top_processes';
const HISTORY = 90;          // points kept per chart
const BACKOFF_MAX_MS = 8000; // reconnect delays: 0.5 s, 1, 2, 4, 8, 8, ...
const MAX_COLUMNS = 8;

const $ = (sel, root) => (root || document).querySelector(sel);
const tokens = {};  // tokens the user gave but did not save, by server id
const monitors = new Map();  // id -> Monitor
let config;

// ---- configuration ----

function defaultConfig() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return { columns: [{ servers: [{
    id: 'local', name: location.hostname || 'statd', url: scheme + '//' + location.host + '/',
    interval: 1, autoStart: true }] }] };
}

// rt-stat's host field: [ws|wss://]name[:port][/path], defaults ws, 8000, "/".
function rtstatHostToUrl(host) {
  const m = /^((ws|wss):\/\/)?([a-zA-Z0-9\-.]{1,63})(:(\d{1,5}))?(\/.*)?$/i.exec(host);
  if (!m) return null;
  return (m[2] || 'ws').toLowerCase() + '://' + m[3] + ':' + (m[5] || '8000') + (m[6] || '/');
}

class ConfigError extends Error {}

function checkServer(s, where, seen) {
  const fail = (what) => { throw new ConfigError(where + what); };
  if (!s || typeof s !== 'object' || Array.isArray(s)) fail(' must be an object');
  let id = s.id;
  if (typeof id === 'number') id = String(id);
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) fail('.id must be letters, digits, "-" or "_"');
  if (seen.has(id)) fail('.id "' + id + '" is used twice');
  seen.add(id);
  const name = s.name === undefined ? id : s.name;
  if (typeof name !== 'string' || name.length > 100) fail('.name must be a text of at most 100 characters');
  let url;
  if (s.url !== undefined) {
    url = s.url;
    if (typeof url !== 'string' || !/^wss?:\/\/[^\s/]+(\/\S*)?$/i.test(url)) fail('.url must be a ws:// or wss:// URL');
  } else if (s.host !== undefined) {
    url = typeof s.host === 'string' ? rtstatHostToUrl(s.host) : null;
    if (!url) fail('.host must be host[:port] or a ws:// URL');
  } else {
    fail(' needs a url (or rt-stat\'s host)');
  }
  const interval = s.interval === undefined ? 1 : s.interval;
  if (typeof interval !== 'number' || !(interval >= 0.5 && interval <= 3600)) fail('.interval must be a number of seconds from 0.5 to 3600');
  if (s.autoStart !== undefined && typeof s.autoStart !== 'boolean') fail('.autoStart must be true or false');
  if (s.token !== undefined && typeof s.token !== 'string') fail('.token must be a text');
  const out = { id, name, url, interval, autoStart: s.autoStart !== false };
  if (s.token) out.token = s.token;
  return out;
}

// Our shape or rt-stat's: {"columns":[{"servers":[{...}]}]}. Throws a
// ConfigError saying what is wrong and where.
function checkConfig(c) {
  if (!c || typeof c !== 'object' || !Array.isArray(c.columns)) throw new ConfigError('the file needs a "columns" list');
  if (c.columns.length > MAX_COLUMNS) throw new ConfigError('at most ' + MAX_COLUMNS + ' columns');
  const seen = new Set();
  const columns = c.columns.map((col, i) => {
    if (!col || typeof col !== 'object' || !Array.isArray(col.servers)) throw new ConfigError('columns[' + i + '] needs a "servers" list');
    return { servers: col.servers.map((s, j) => checkServer(s, 'columns[' + i + '].servers[' + j + ']', seen)) };
  });
  return { columns: columns.filter((col) => col.servers.length) };
}

function loadConfig() {
  try {
    const text = localStorage.getItem(STORE_KEY);
    if (text) return checkConfig(JSON.parse(text));
  } catch (e) { /* unreadable: start from the default */ }
  return defaultConfig();
}

function saveConfig() {
  try { localStorage.setItem(STORE_KEY, JSON.stringify(config)); } catch (e) { notice('Could not save the configuration: ' + e.message); }
}

function setConfig(next) {
  config = next;
  saveConfig();
  layout();
}

function findServer(id) {
  for (let c = 0; c < config.columns.length; c++) {
    const list = config.columns[c].servers;
    for (let i = 0; i < list.length; i++) if (list[i].id === id) return { c, i, list };
  }
  return null;
}

function notice(text) {
  const n = $('#notice');
  n.textContent = text || '';
  n.hidden = !text;
}

// ---- formatting ----

function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let u = 0;
  while (n >= 1024 && u < units.length - 1) { n /= 1024; u++; }
  return (u && n < 10 ? n.toFixed(1) : Math.round(n)) + ' ' + units[u];
}
const pct = (f) => (Math.round(f * 1000) / 10) + '%';

function put(el, text, label) {
  el.textContent = text;
  if (label) el.setAttribute('aria-label', label);
}

function setBar(bar, fractions, high) {
  const fills = bar.querySelectorAll('i');
  let left = 0;
  fractions.forEach((f, k) => {
    f = Math.max(0, Math.min(1, f || 0));
    if (!fills[k]) return;
    fills[k].style.left = (left * 100) + '%';
    fills[k].style.width = (f * 100) + '%';
    left += f;
  });
  bar.classList.toggle('high', !!high);
}

function barRow(label) {
  const row = document.createElement('div');
  row.className = 'row';
  row.innerHTML = '<span class="label"></span><span class="bar"><i></i></span><span></span>';
  row.firstChild.textContent = label;
  row.firstChild.title = label;
  return row;
}

// ---- charts (canvas) ----

function color(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

// series: [{values, color, fill}], all values in 0..max; max null: auto.
function drawChart(canvas, series, max) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
  const h = Math.max(1, Math.round(canvas.clientHeight * dpr));
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const g = canvas.getContext('2d');
  g.clearRect(0, 0, w, h);
  if (!max) {
    max = 1;
    for (const s of series) for (const v of s.values) max = Math.max(max, v);
  }
  g.strokeStyle = color('--line');
  g.lineWidth = 1;
  g.beginPath();
  g.moveTo(0, Math.round(h / 2) + 0.5);
  g.lineTo(w, Math.round(h / 2) + 0.5);
  g.stroke();
  const step = w / (HISTORY - 1);
  for (const s of series) {
    const n = s.values.length;
    if (!n) continue;
    const x = (k) => w - (n - 1 - k) * step;
    const y = (v) => h - 1 - (Math.min(v, max) / max) * (h - 2);
    g.beginPath();
    for (let k = 0; k < n; k++) k ? g.lineTo(x(k), y(s.values[k])) : g.moveTo(x(k), y(s.values[k]));
    g.strokeStyle = s.color;
    g.lineWidth = 1.5 * dpr;
    g.stroke();
    if (s.fill) {
      g.lineTo(x(n - 1), h);
      g.lineTo(x(0), h);
      g.closePath();
      g.globalAlpha = 0.25;
      g.fillStyle = s.color;
      g.fill();
      g.globalAlpha = 1;
    }
  }
  canvas.dataset.points = series.length ? series[0].values.length : 0;
}

const pushHistory = (list, v) => { list.push(v); if (list.length > HISTORY) list.shift(); };

// ---- rt-stat messages ----

// An argument as rt-stat escapes it: "\" takes the next byte ("\n" is LF);
// an unescaped "::" ends the argument. Returns the first one.
function firstArg(text) {
  let out = '';
  for (let k = 0; k < text.length; k++) {
    const ch = text[k];
    if (ch === '\\') {
      k++;
      if (k < text.length) out += text[k] === 'n' ? '\n' : text[k];
    } else if (ch === ':' && text[k + 1] === ':') {
      break;
    } else {
      out += ch;
    }
  }
  return out;
}

const escapeArg = (s) => s.replace(/\\/g, '\\\\').replace(/:/g, '\\:').replace(/\n/g, '\\n');

// ---- one monitored server ----

class Monitor {
  constructor(server) {
    this.server = server;
    this.ws = null;
    this.want = server.autoStart;
    this.tries = 0;
    this.retryTimer = 0;
    this.watchdog = 0;
    this.cpu = [];
    this.rx = [];
    this.tx = [];
    this.cores = new Map();
    this.card = $('#card').content.firstElementChild.cloneNode(true);
    this.card.dataset.id = server.id;
    this.bind();
    this.title();
    this.setState(this.want ? 'connecting' : 'stopped');
    if (this.want) this.connect();
  }

  q(sel) { return $(sel, this.card); }

  bind() {
    this.q('.toggle').onclick = () => (this.want ? this.stop() : this.start());
    this.q('.edit').onclick = () => openEditor(this.server.id);
    this.card.querySelectorAll('.move').forEach((b) => { b.onclick = () => moveServer(this.server.id, b.dataset.move); });
    this.q('.token').onsubmit = (e) => {
      e.preventDefault();
      const form = e.target;
      // Kept where the user chose: in the saved configuration, or only in
      // this page's memory (and then a saved token, which was refused, goes).
      const token = form.elements.token.value;
      if (form.elements.save.checked) {
        this.server.token = token;
        delete tokens[this.server.id];
      } else {
        delete this.server.token;
        tokens[this.server.id] = token;
      }
      saveConfig();
      form.reset();
      form.hidden = true;
      this.start();
    };
  }

  title() {
    this.q('.name').textContent = this.server.name;
    this.card.setAttribute('aria-label', 'Server ' + this.server.name);
  }

  setState(state) {
    this.state = state;
    const el = this.q('.state');
    el.textContent = state;
    el.dataset.state = state;
    this.card.dataset.state = state;
    this.q('.toggle').textContent = this.want ? 'Stop' : 'Start';
    this.q('.token').hidden = state !== 'unauthorized';
  }

  start() {
    this.want = true;
    this.tries = 0;
    this.connect();
  }

  stop() {
    this.want = false;
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send('stop::');
    this.drop();
    this.setState('stopped');
  }

  // Forgets the socket without waiting for its close handshake.
  drop() {
    clearTimeout(this.retryTimer);
    clearTimeout(this.watchdog);
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = ws.onmessage = ws.onopen = null;
      try { ws.close(); } catch (e) { /* already closing */ }
    }
  }

  connect() {
    this.drop();
    this.setState('connecting');
    let ws;
    try {
      ws = new WebSocket(this.server.url);
    } catch (e) {
      this.down();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      const token = tokens[this.server.id] || this.server.token;
      if (token) ws.send('auth::' + escapeArg(token));
      ws.send('plugins::' + PLUGINS);
      ws.send('interval::' + this.server.interval);
      ws.send('start::');
      this.arm();
    };
    ws.onmessage = (e) => this.message(String(e.data));
    ws.onclose = () => { if (this.ws === ws) this.down(); };
  }

  // No push for three intervals: the server or the path to it is gone.
  arm() {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.down(), Math.max(3 * this.server.interval * 1000, 5000));
  }

  down() {
    this.drop();
    if (!this.want) return this.setState('stopped');
    this.setState('down');
    const delay = Math.min(BACKOFF_MAX_MS, 500 * 2 ** this.tries) + Math.random() * 250;
    this.tries++;
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  message(text) {
    text = text.trim();
    const at = text.indexOf('::');
    const command = (at < 0 ? text : text.slice(0, at)).toLowerCase();
    const arg = at < 0 ? '' : firstArg(text.slice(at + 2));
    if (command === 'push') {
      let data;
      try { data = JSON.parse(arg); } catch (e) { return; }
      this.tries = 0;
      this.arm();
      if (this.state !== 'live') this.setState('live');
      this.render(data);
    } else if (command === 'error' && /auth|authoriz|attempts/i.test(arg)) {
      // A wrong or missing token: ask for one instead of retrying.
      this.drop();
      this.setState('unauthorized');
      this.q('.token').title = arg;
    }
  }

  render(d) {
    const host = d.hostname || this.server.url.replace(/^wss?:\/\//i, '').replace(/[:/].*$/, '');
    put(this.q('.v-host'), host);
    const up = d.uptime || {};
    put(this.q('.v-uptime'), up.uptime || '', 'Uptime ' + (up.uptime || 'unknown'));
    put(this.q('.v-time'), up.time || '', 'Server time ' + (up.time || 'unknown'));
    if (up.la1 !== undefined) put(this.q('.v-load'), up.la1 + ' ' + up.la5 + ' ' + up.la15,
      'Load average ' + up.la1 + ', ' + up.la5 + ', ' + up.la15);
    if (d.processes) put(this.q('.v-procs'), d.processes.all + ' (' + d.processes.running + ' running)',
      d.processes.all + ' processes, ' + d.processes.running + ' running');
    if (d.cpu_stat) this.renderCpu(d.cpu_stat);
    if (d.meminfo) this.renderMemory(d.meminfo);
    if (d.network) this.renderNetwork(d.network);
    this.renderTemperatures(d.temperatures);
    this.renderFilesystems(d.filesystems);
    this.renderTop(d.top_processes);
  }

  renderCpu(cpus) {
    const names = Object.keys(cpus);
    let sum = 0;
    for (const name of names) {
      const c = cpus[name];
      sum += c.usage || 0;
      let row = this.cores.get(name);
      if (!row) {
        row = barRow(name);
        this.cores.set(name, row);
        this.q('.cores').appendChild(row);
      }
      setBar(row.children[1], [c.usage], c.usage >= 0.9);
      put(row.lastChild, pct(c.usage || 0), name + ' ' + Math.round((c.usage || 0) * 100) + ' percent');
    }
    const total = names.length ? sum / names.length : 0;
    put(this.q('.v-cpu'), pct(total), 'CPU total ' + Math.round(total * 100) + ' percent');
    pushHistory(this.cpu, total);
    drawChart(this.q('.c-cpu'), [{ values: this.cpu, color: color('--c1'), fill: true }], 1);
  }

  renderMemory(m) {
    const mem = m.memory || {}, swap = m.swap || {};
    const total = mem.total || 0;
    const cache = (mem.buffers || 0) + (mem.cached || 0);
    setBar(this.q('.b-mem'), [mem.apps / total, cache / total], mem.apps / total >= 0.85);
    put(this.q('.v-mem'), bytes(mem.apps * 1024) + ' / ' + bytes(total * 1024),
      'Memory used ' + bytes(mem.apps * 1024) + ' of ' + bytes(total * 1024) + ', ' + bytes(cache * 1024) + ' cache');
    if (swap.total) {
      setBar(this.q('.b-swap'), [swap.used / swap.total], swap.used / swap.total >= 0.5);
      put(this.q('.v-swap'), bytes(swap.used * 1024) + ' / ' + bytes(swap.total * 1024),
        'Swap used ' + bytes(swap.used * 1024) + ' of ' + bytes(swap.total * 1024));
    } else {
      setBar(this.q('.b-swap'), [0]);
      put(this.q('.v-swap'), 'none', 'No swap');
    }
  }

  renderNetwork(net) {
    let rx = 0, tx = 0;
    for (const name of Object.keys(net)) {
      if (name === 'lo') continue;  // loopback traffic is not the host's network
      rx += net[name].rx || 0;
      tx += net[name].tx || 0;
    }
    put(this.q('.v-net'), '\u2193 ' + bytes(rx) + '/s \u2191 ' + bytes(tx) + '/s',
      'Receiving ' + bytes(rx) + ' per second, sending ' + bytes(tx) + ' per second');
    pushHistory(this.rx, rx);
    pushHistory(this.tx, tx);
    drawChart(this.q('.c-net'), [{ values: this.rx, color: color('--c1'), fill: true },
      { values: this.tx, color: color('--c2') }], null);
  }

  renderTemperatures(temps) {
    const names = temps ? Object.keys(temps) : [];
    this.q('.s-temps').hidden = !names.length;
    const list = this.q('.temps');
    list.textContent = '';
    for (const name of names) {
      const li = document.createElement('li');
      const label = document.createElement('span');
      label.textContent = name + ' ';
      li.append(label, Math.round(temps[name]) + ' \u00b0C');
      li.setAttribute('aria-label', name + ' ' + Math.round(temps[name]) + ' degrees Celsius');
      list.appendChild(li);
    }
  }

  renderFilesystems(list) {
    this.q('.s-fs').hidden = !(list && list.length);
    const box = this.q('.fs');
    box.textContent = '';
    for (const fs of list || []) {
      const row = barRow(fs.mountpoint);
      const used = fs.size ? fs.used / fs.size : 0;
      setBar(row.children[1], [used], used >= 0.9);
      put(row.lastChild, bytes(fs.used * 1024) + ' / ' + bytes(fs.size * 1024),
        fs.mountpoint + ' ' + bytes(fs.used * 1024) + ' used of ' + bytes(fs.size * 1024));
      box.appendChild(row);
    }
  }

  renderTop(list) {
    this.q('.s-top').hidden = !(list && list.length);
    const body = this.q('.top tbody');
    body.textContent = '';
    for (const p of list || []) {
      const tr = body.insertRow();
      tr.insertCell().textContent = p.pid;
      tr.insertCell().textContent = p.name;
      const cpu = tr.insertCell();
      put(cpu, p.cpu.toFixed(1) + '%', p.name + ' ' + p.cpu.toFixed(1) + ' percent CPU');
    }
  }
}

// ---- layout: columns of cards, kept in step with the configuration ----

function sameConnection(a, b) {
  return a.url === b.url && a.interval === b.interval && a.token === b.token;
}

function layout() {
  const main = $('#columns');
  const keep = new Set();
  main.textContent = '';
  main.style.setProperty('--cols', Math.max(1, config.columns.length));
  for (const col of config.columns) {
    const column = document.createElement('div');
    column.className = 'column';
    for (const server of col.servers) {
      let mon = monitors.get(server.id);
      if (mon && !sameConnection(mon.server, server)) {
        mon.want = false;
        mon.drop();
        mon = null;
      }
      if (!mon) {
        mon = new Monitor(server);
        monitors.set(server.id, mon);
      }
      mon.server = server;
      mon.title();
      keep.add(server.id);
      column.appendChild(mon.card);
    }
    main.appendChild(column);
  }
  for (const [id, mon] of monitors) {
    if (keep.has(id)) continue;
    mon.want = false;
    mon.drop();
    monitors.delete(id);
  }
}

function moveServer(id, where) {
  const at = findServer(id);
  if (!at) return;
  const [server] = at.list.splice(at.i, 1);
  const cols = config.columns;
  if (where === 'up') at.list.splice(Math.max(0, at.i - 1), 0, server);
  else if (where === 'down') at.list.splice(Math.min(at.list.length, at.i + 1), 0, server);
  else {
    let c = at.c + (where === 'left' ? -1 : 1);
    if (c < 0 || (c >= cols.length && cols.length >= MAX_COLUMNS)) { at.list.splice(at.i, 0, server); return; }
    if (c >= cols.length) cols.push({ servers: [] });
    cols[c].servers.push(server);
  }
  config.columns = cols.filter((col) => col.servers.length);
  setConfig(config);
}

// ---- the editor dialog ----

let editing = null;  // id of the server being edited, or null for a new one

function openEditor(id) {
  editing = id;
  const dialog = $('#editor');
  const f = $('#editor-form').elements;
  const at = id ? findServer(id) : null;
  const s = at ? at.list[at.i] : { name: '', url: 'ws://' + location.host + '/', interval: 1, autoStart: true };
  $('#editor-title').textContent = id ? 'Edit server' : 'Add server';
  f.name.value = s.name;
  f.url.value = s.url;
  f.interval.value = s.interval;
  f.autoStart.checked = s.autoStart;
  f.token.value = s.token || tokens[id] || '';
  f.saveToken.checked = !!s.token;
  $('.remove', dialog).hidden = !id;
  $('.error', dialog).hidden = true;
  dialog.showModal();
}

function saveEditor(e) {
  e.preventDefault();
  const dialog = $('#editor');
  const f = $('#editor-form').elements;
  let id = editing;
  if (!id) {
    let n = 1;
    while (findServer('s' + n)) n++;
    id = 's' + n;
  }
  const token = f.token.value;
  const entry = { id, name: f.name.value.trim() || id, url: f.url.value.trim(),
    interval: Number(f.interval.value), autoStart: f.autoStart.checked };
  if (token && f.saveToken.checked) entry.token = token;
  let server;
  try {
    server = checkServer(entry, 'The server', new Set());
  } catch (err) {
    const p = $('.error', dialog);
    p.textContent = err.message.replace(/^The server\./, 'The ');
    p.hidden = false;
    return;
  }
  if (token && !f.saveToken.checked) tokens[id] = token;
  else delete tokens[id];
  const at = findServer(id);
  if (at) at.list[at.i] = server;
  else {
    if (!config.columns.length) config.columns.push({ servers: [] });
    config.columns[config.columns.length - 1].servers.push(server);
  }
  dialog.close();
  setConfig(config);
}

function removeEdited() {
  const at = editing && findServer(editing);
  if (at) {
    at.list.splice(at.i, 1);
    config.columns = config.columns.filter((col) => col.servers.length);
    delete tokens[editing];
  }
  $('#editor').close();
  setConfig(config);
}

// ---- export and import ----

function exportConfig() {
  const blob = new Blob([JSON.stringify(config, null, 2) + '\n'], { type: 'application/json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = 'statd-dashboard.json';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function importText(text) {
  let next;
  try {
    next = checkConfig(JSON.parse(text));
  } catch (err) {
    const why = err instanceof ConfigError ? err.message : 'the file is not JSON (' + err.message + ')';
    notice('Import failed: ' + why + '. Nothing was changed.');
    return false;
  }
  notice('');
  setConfig(next);
  return true;
}

function init() {
  config = loadConfig();
  $('#add').onclick = () => openEditor(null);
  $('#export').onclick = exportConfig;
  $('#reset').onclick = () => { notice(''); setConfig(defaultConfig()); };
  $('#import').onchange = (e) => {
    const file = e.target.files[0];
    e.target.value = '';
    if (file) file.text().then(importText, (err) => notice('Import failed: ' + err.message + '. Nothing was changed.'));
  };
  $('#editor-form').onsubmit = saveEditor;
  $('#editor .remove').onclick = removeEdited;
  $('#editor .cancel').onclick = () => $('#editor').close();
  layout();
}

init();

// The live page of `mgmt run --prometheus`: draws /graph.dot with viz.js (served by mgmt, in a
// worker), redraws when /events says something happened, and shows /health and /vertices.
// Every text that comes from the graph or the cluster goes in through textContent, never as markup.
'use strict';

const VIZ_WORKER = '/page/webjars/viz.js/2.1.2/lite.render.js';
// A burst of events costs one redraw per this many milliseconds.
const REDRAW_EVERY_MS = 200;
// mgmt reads /graph.dot and the states at most every 200 ms for all pages: a redraw this long
// after the last event is sure to see what that event changed.
const SETTLED_MS = 450;
// Beyond this, dot's layout takes too long for a page that redraws on every change.
const MAX_DRAWN = 1500;
// The fill colours of mgmt-engine's DotWriter, in the order a vertex goes through them.
const STATES = [
  ['unarmed', 'white', 'its watch is not armed yet'],
  ['pending', 'lightgrey', 'owes a run, waits for its parents'],
  ['waiting', 'khaki', 'ready, waits for a slot'],
  ['running', 'lightskyblue', 'check or apply under way'],
  ['clean', 'palegreen', 'as wanted'],
  ['would change', 'yellow', 'noop: the check found a difference'],
  ['retrying', 'gold', 'failed, will try again'],
  ['failed', 'tomato', 'failed, no retries left'],
  ['blocked', 'orange', 'waits behind a failed vertex'],
];

const $ = (id) => document.getElementById(id);
let viz = new Viz({ workerURL: VIZ_WORKER });
let selected = null;      // the clicked vertex's id, kept across redraws
let zoom = 1;
let fitted = false;       // the first drawing is fitted to the window once
let timer = null;
let settle = null;
let lastDraw = 0;
let drawing = false;
let again = false;
let lastDot = null;
let counts = {};
let tooMany = false;      // above MAX_DRAWN: /graph.dot is not fetched (until /health says fewer, or a swap)

// ---- drawing ---------------------------------------------------------------------------

function scheduleRedraw() {
  if (timer !== null) return;
  const wait = Math.max(0, lastDraw + REDRAW_EVERY_MS - Date.now());
  timer = setTimeout(() => { timer = null; redraw(); }, wait);
}

async function redraw() {
  if (drawing) { again = true; return; }
  drawing = true;
  lastDraw = Date.now();
  try {
    const health = await readHealth();
    // /health counts the vertices: a graph too big to draw costs no DOT (made on mgmt's engine loop).
    const n = health && typeof health.vertices === 'number' ? health.vertices : null;
    if (n !== null) tooMany = n > MAX_DRAWN;
    if (tooMany) {
      tooManyNote(n === null ? 'More than ' + MAX_DRAWN : n);
      if (health && health.states) { counts = Object.assign({}, health.states); showCounts(); }
      lastDot = null;
    } else {
      const res = await fetch('/graph.dot', { cache: 'no-store' });
      if (!res.ok) throw new Error('/graph.dot answered ' + res.status);
      const dot = await res.text();
      if (dot !== lastDot) {
        await draw(dot);
        lastDot = tooMany ? null : dot;
      }
    }
    showHealth(health);
    if (selected !== null) await showDetails(selected);
  } catch (e) {
    note('cannot draw the graph: ' + e.message);
  } finally {
    drawing = false;
    if (again) { again = false; scheduleRedraw(); }
  }
}

async function draw(dot) {
  const n = (dot.match(/^\s*"(?:[^"\\]|\\.)*"\s*\[/gm) || []).length;
  if (n > MAX_DRAWN) {
    // Without a count from /health, the DOT is not fetched again until the graph is swapped.
    tooMany = true;
    tooManyNote(n);
    counts = {};
    return;
  }
  let svg;
  try {
    svg = await viz.renderSVGElement(withLook(dot));
  } catch (e) {
    viz = new Viz({ workerURL: VIZ_WORKER }); // viz.js cannot be used again after an error
    throw e;
  }
  const view = $('graph');
  const left = view.scrollLeft, top = view.scrollTop;
  counts = {};
  for (const g of svg.querySelectorAll('g.node')) {
    const id = vertexId(g.querySelector('title').textContent);
    const texts = g.querySelectorAll('text');
    const state = texts.length ? texts[texts.length - 1].textContent : '';
    g.dataset.id = id;
    g.dataset.state = state;
    g.classList.toggle('selected', id === selected);
    g.addEventListener('click', (ev) => { ev.stopPropagation(); select(id); });
    counts[state] = (counts[state] || 0) + 1;
  }
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  view.replaceChildren(svg);
  if (!fitted) { fitted = true; fit(); } else { applyZoom(); }
  view.scrollLeft = left;
  view.scrollTop = top;
  showCounts();
}

// The page's look, before the graph's own attributes (which win): a sans font, no background.
function withLook(dot) {
  return dot.replace('{', '{\n  graph [bgcolor="transparent" fontname="Helvetica"];\n'
    + '  node [fontname="Helvetica" fontsize="12" penwidth="1.2"];\n'
    + '  edge [fontname="Helvetica" fontsize="10" color="#667085" fontcolor="#475467"];\n');
}

// DotWriter doubles each backslash of an id and Graphviz keeps the pairs: undo that.
function vertexId(title) {
  return title.replace(/\\\\/g, '\\');
}

function tooManyNote(n) {
  note(n + ' vertices: too many to draw here (at most ' + MAX_DRAWN + '); /health and /vertices tell their states');
}

function note(text) {
  const p = document.createElement('p');
  p.className = 'note';
  p.textContent = text;
  $('graph').replaceChildren(p);
}

// ---- zoom: the SVG's size follows `zoom`; its viewBox is in points ----------------------

function svgBox() {
  const svg = $('graph').querySelector('svg');
  return svg ? { svg, w: svg.viewBox.baseVal.width * 4 / 3, h: svg.viewBox.baseVal.height * 4 / 3 } : null;
}

function applyZoom() {
  const b = svgBox();
  if (!b) return;
  b.svg.style.width = Math.round(b.w * zoom) + 'px';
  b.svg.style.height = Math.round(b.h * zoom) + 'px';
  $('zoom-reset').textContent = Math.round(zoom * 100) + '%';
}

function setZoom(z) {
  zoom = Math.min(4, Math.max(0.1, z));
  applyZoom();
}

function fit() {
  const b = svgBox();
  if (!b) return;
  const view = $('graph');
  const w = view.clientWidth - 32, h = view.clientHeight - 64;
  setZoom(Math.min(1, w / b.w, h / b.h));
}

// ---- status and counts -----------------------------------------------------------------

// /health's body, or null (an embedding that serves only the page).
async function readHealth() {
  try {
    const res = await fetch('/health', { cache: 'no-store' });
    // 503 is the answer for "not converged": its body says the same as a 200's.
    if (res.status === 200 || res.status === 503) return await res.json();
  } catch (e) {
    // said by the status badge
  }
  return null;
}

function showHealth(health) {
  const status = health && typeof health.status === 'string' ? health.status : statusFromCounts();
  const badge = $('status');
  badge.className = 'status ' + (['converged', 'pending', 'failed'].includes(status) ? status : 'unknown');
  badge.textContent = status;
  showCluster(health ? health.cluster : null);
}

// Without /health (an embedding that serves only the page), the drawing tells as much.
function statusFromCounts() {
  if (counts['failed'] || counts['blocked']) return 'failed';
  const settled = (counts['clean'] || 0) + (counts['would change'] || 0);
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return settled === total ? 'converged' : 'pending';
}

function showCounts() {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const parts = STATES.filter(([s]) => counts[s]).map(([s]) => counts[s] + ' ' + s);
  $('counts').textContent = total + (total === 1 ? ' vertex' : ' vertices') + (parts.length ? ': ' + parts.join(', ') : '');
}

function showCluster(cluster) {
  const section = $('cluster');
  if (!cluster || !Array.isArray(cluster.members)) { section.hidden = true; return; }
  section.hidden = false;
  const items = cluster.members.map((m) => {
    const li = document.createElement('li');
    const name = document.createElement('span');
    name.textContent = m.name + (m.name === cluster.host ? ' (this host)' : '');
    li.append(name);
    if (m.voter) li.append(tag('voter'));
    if (m.name === cluster.leader) li.append(tag('leader', 'leader'));
    if (m.address) {
      const a = document.createElement('span');
      a.className = 'address';
      a.textContent = m.address;
      li.append(a);
    }
    return li;
  });
  $('members').replaceChildren(...items);
}

function tag(text, extra) {
  const t = document.createElement('span');
  t.className = 'tag' + (extra ? ' ' + extra : '');
  t.textContent = text;
  return t;
}

// ---- details of the clicked vertex -----------------------------------------------------

function select(id) {
  selected = id;
  for (const g of document.querySelectorAll('#graph g.node')) {
    g.classList.toggle('selected', g.dataset.id === id);
  }
  if (id === null) {
    $('details-body').hidden = true;
    $('details-empty').hidden = false;
    return;
  }
  $('details-id').textContent = id;
  $('details-body').hidden = false;
  $('details-empty').hidden = true;
  showDetails(id);
}

async function showDetails(id) {
  let v = null, why = null;
  try {
    const res = await fetch('/vertices', { cache: 'no-store' });
    if (res.ok) {
      const body = await res.json();
      v = (body.vertices || []).find((x) => x.id === id) || null;
      if (v === null) why = 'not in the running graph any more';
    } else {
      why = 'no details here (/vertices answered ' + res.status + ')';
    }
  } catch (e) {
    why = 'cannot read /vertices: ' + e.message;
  }
  if (id !== selected) return; // another vertex was clicked meanwhile
  const rows = [];
  if (v === null) {
    rows.push(['', why]);
  } else {
    rows.push(['state', v.state]);
    rows.push(['last check', v.lastCheck ? when(v.lastCheck.time) + ', ' + (v.lastCheck.ok ? 'as wanted' : 'differed')
      + ', ' + v.lastCheck.millis + ' ms' : 'none yet']);
    rows.push(['last apply', v.lastApply ? when(v.lastApply.time) + ', ' + v.lastApply.millis + ' ms' : 'none yet']);
    if (v.lastError) {
      rows.push(['last error', when(v.lastError.time) + ', in ' + v.lastError.phase]);
      rows.push(['', v.lastError.message, 'error']);
    } else {
      rows.push(['last error', 'none']);
    }
  }
  const out = [];
  for (const [k, val, cls] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = val;
    if (cls) dd.className = cls;
    out.push(dt, dd);
  }
  $('details-fields').replaceChildren(...out);
}

function when(iso) {
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toLocaleString();
}

// ---- events ----------------------------------------------------------------------------

function banner(text) {
  const b = $('banner');
  b.textContent = text || '';
  b.hidden = !text;
}

function onEvent(m) {
  switch (m.type) {
    case 'Hello':
      $('graph-name').textContent = m.graph || '';
      $('host').textContent = m.host ? 'on ' + m.host : '';
      document.title = (m.graph ? m.graph + ' · ' : '') + 'mgmt';
      break;
    case 'GraphSwapped':
      banner(null);
      tooMany = false; // the new graph may be small enough to draw
      break;
    case 'GraphRejected':
      banner('The new graph was rejected; the previous one keeps running:\n' + (m.problems || []).join('\n'));
      break;
    case 'GraphStreamFailed':
      banner('No further graph will come: ' + m.message);
      break;
  }
  scheduleRedraw();
  clearTimeout(settle);
  settle = setTimeout(scheduleRedraw, SETTLED_MS);
}

let events = null;

function connect() {
  const live = $('live');
  const es = new EventSource('/events');
  events = es;
  es.onopen = () => { live.className = 'live on'; live.textContent = 'live'; scheduleRedraw(); };
  es.onmessage = (e) => onEvent(JSON.parse(e.data));
  es.onerror = () => {
    live.className = 'live off';
    live.textContent = 'reconnecting';
    // The browser retries by itself unless the server refused (503: too many pages open).
    if (es.readyState === EventSource.CLOSED && events === es) setTimeout(() => { if (events === es) connect(); }, 5000);
  };
}

// A page kept in the back/forward cache would hold its stream (and one of mgmt's few slots).
window.addEventListener('pagehide', () => { if (events) { events.close(); events = null; } });
window.addEventListener('pageshow', (e) => { if (e.persisted && !events) connect(); });

function legend() {
  const items = STATES.map(([name, colour, meaning]) => {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = colour;
    const label = document.createElement('span');
    label.textContent = name;
    const m = document.createElement('span');
    m.className = 'state-meaning';
    m.textContent = meaning;
    li.append(sw, label, m);
    return li;
  });
  $('legend-list').replaceChildren(...items);
}

legend();
$('zoom-in').addEventListener('click', () => setZoom(zoom * 1.25));
$('zoom-out').addEventListener('click', () => setZoom(zoom / 1.25));
$('zoom-reset').addEventListener('click', () => setZoom(1));
$('zoom-fit').addEventListener('click', fit);
$('graph').addEventListener('wheel', (e) => {
  if (!e.ctrlKey) return;
  e.preventDefault();
  setZoom(zoom * (e.deltaY < 0 ? 1.1 : 1 / 1.1));
}, { passive: false });
$('graph').addEventListener('click', () => select(null));
document.addEventListener('keydown', (e) => { if (e.key === 'Escape') select(null); });
connect();
scheduleRedraw();

// Strata's operator page: volumes, each volume's backup chain, a backup's event timeline and the running
// jobs. Plain browser JavaScript, no build step: it reads the API with the token kept in localStorage.
'use strict';

const TOKEN_KEY = 'strata.token';
const DEFAULT_TOKEN = 'admin:admin'; // noauth: user:project
const JOBS_EVERY_MS = 2000;
const VOLUMES_EVERY_MS = 10000;
const SVG_NS = 'http://www.w3.org/2000/svg';

const params = new URLSearchParams(location.search);
if (params.get('token')) localStorage.setItem(TOKEN_KEY, params.get('token'));
const token = () => localStorage.getItem(TOKEN_KEY) || DEFAULT_TOKEN;

/** GET a JSON route with the token; null for a 404 when `allowMissing` (a route this server lacks). */
async function api(path, { allowMissing = false } = {}) {
  const res = await fetch(path, {
    headers: { 'X-Auth-Token': token(), 'OpenStack-API-Version': 'volume 3.70', Accept: 'application/json' },
  });
  if (allowMissing && (res.status === 404 || res.status === 405)) return null;
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const fault = Object.values(body)[0];
    throw new Error(`${path}: ${(fault && fault.message) || res.statusText} (HTTP ${res.status})`);
  }
  return body;
}

/** Builds an element: el('li', { class: 'x', dataset: { id } }, 'text', child). Text is never parsed as HTML. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function formatBytes(n) {
  if (n === null || n === undefined) return '?';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(1)} ${units[u]}`;
}

const shortId = (id) => id.slice(0, 8);
const label = (b) => b.name || shortId(b.id);

function showError(error) {
  const p = document.getElementById('error');
  p.textContent = String(error.message || error);
  p.hidden = false;
}

/**
 * Orders a volume's backups as chains: each full backup, then its incrementals depth first. Returns rows
 * of { backup, depth, row } for drawing; a backup whose parent is gone starts its own chain.
 */
function layoutChains(backups) {
  const byId = new Map(backups.map((b) => [b.id, b]));
  const children = new Map();
  const roots = [];
  for (const b of backups) {
    if (b.parent_id && byId.has(b.parent_id)) {
      if (!children.has(b.parent_id)) children.set(b.parent_id, []);
      children.get(b.parent_id).push(b);
    } else roots.push(b);
  }
  const placed = [];
  let row = -1;
  const visit = (b, depth, newRow) => {
    if (newRow) row++;
    placed.push({ backup: b, depth, row });
    (children.get(b.id) || []).forEach((c, i) => visit(c, depth + 1, i > 0));
  };
  roots.forEach((r) => visit(r, 0, true));
  return placed;
}

/** The chain as SVG boxes (name, status, stored size) joined by arrows from parent to child. */
function chainSvg(placed) {
  const W = 150,
    H = 54,
    GAP = 36,
    VGAP = 14;
  const rows = Math.max(1, ...placed.map((p) => p.row + 1));
  const cols = Math.max(1, ...placed.map((p) => p.depth + 1));
  const root = svg('svg', { class: 'chain-svg', width: cols * (W + GAP), height: rows * (H + VGAP), role: 'img' });
  const defs = svg('defs');
  const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' });
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#7b879e' }));
  defs.append(marker);
  root.append(defs);
  const at = new Map(placed.map((p) => [p.backup.id, { x: p.depth * (W + GAP), y: p.row * (H + VGAP) }]));
  for (const p of placed) {
    const parent = p.backup.parent_id && at.get(p.backup.parent_id);
    if (parent) {
      const me = at.get(p.backup.id);
      root.append(svg('line', { x1: parent.x + W, y1: parent.y + H / 2, x2: me.x - 2, y2: me.y + H / 2 }));
    }
  }
  for (const p of placed) {
    const { x, y } = at.get(p.backup.id);
    const b = p.backup;
    const g = svg('g', { class: `node status-${b.status}`, 'data-backup-id': b.id });
    g.append(svg('rect', { x, y, width: W, height: H, rx: 5 }));
    g.append(svg('text', { x: x + 8, y: y + 16 }, `${b.is_incremental ? 'incr' : 'full'} · ${label(b)}`));
    g.append(svg('text', { x: x + 8, y: y + 31 }, b.status));
    g.append(svg('text', { x: x + 8, y: y + 46 }, `${formatBytes(b.stored_bytes)} stored`));
    g.addEventListener('click', () => showTimeline(b.id));
    root.append(g);
  }
  return root;
}

/** The same chain as a list, in chain order, for reading and for scripts (data attributes). */
function chainList(placed) {
  return el(
    'ol',
    { class: 'chain' },
    ...placed.map(({ backup: b, depth }) =>
      el(
        'li',
        {
          class: 'backup',
          dataset: { backupId: b.id, status: b.status, parentId: b.parent_id || '', depth: String(depth) },
        },
        el('button', { type: 'button', onclick: () => showTimeline(b.id) }, label(b)),
        ` ${b.is_incremental ? 'incremental' : 'full'} · `,
        el('span', { class: 'status' }, b.status),
        ` · ${formatBytes(b.size_bytes)} read, ${formatBytes(b.stored_bytes)} stored · `,
        el('span', { class: 'id' }, b.id),
      ),
    ),
  );
}

async function renderVolumes() {
  const { volumes } = await api('/v3/volumes/detail');
  const container = document.getElementById('volumes');
  const cards = await Promise.all(
    volumes.map(async (v) => {
      const { backups } = await api(`/strata/v1/volumes/${encodeURIComponent(v.id)}/backups`);
      const placed = layoutChains(backups);
      return el(
        'div',
        { class: 'volume', dataset: { volumeId: v.id } },
        el('h3', {}, `${v.name || shortId(v.id)} `, el('span', { class: 'muted' }, `${v.size} GiB · ${v.status}`)),
        el('div', { class: 'id muted' }, v.id),
        placed.length === 0 ? el('p', { class: 'muted' }, 'No backups.') : chainSvg(placed),
        placed.length === 0 ? '' : chainList(placed),
      );
    }),
  );
  container.replaceChildren(...(cards.length ? cards : [el('p', { class: 'muted' }, 'No volumes in this project.')]));
}

async function renderJobs() {
  const { jobs } = await api('/strata/v1/jobs');
  const body = document.querySelector('#jobs tbody');
  body.replaceChildren(
    ...jobs.map((j) =>
      el(
        'tr',
        { dataset: { backupId: j.backup_id, kind: j.kind } },
        el('td', { class: 'id' }, j.backup_id),
        el('td', {}, j.kind),
        el('td', { class: 'id' }, j.volume_id),
        el(
          'td',
          {},
          j.bytes_total ? el('progress', { max: String(j.bytes_total), value: String(j.bytes_done) }) : '…',
          j.percent === null ? '' : ` ${j.percent}%`,
        ),
        el('td', {}, `${formatBytes(j.bytes_done)} / ${formatBytes(j.bytes_total)}`),
        el('td', {}, j.updated_at),
      ),
    ),
  );
  document.getElementById('no-jobs').hidden = jobs.length > 0;
  document.getElementById('jobs').hidden = jobs.length === 0;
}

/** A backup's events from /strata/v1/backups/{id}/events, oldest first; says so when the server lacks the route. */
async function showTimeline(backupId) {
  const section = document.getElementById('timeline-section');
  section.hidden = false;
  document.getElementById('timeline-backup').textContent = backupId;
  const list = document.getElementById('timeline');
  const note = document.getElementById('timeline-note');
  list.replaceChildren();
  const body = await api(`/strata/v1/backups/${encodeURIComponent(backupId)}/events`, { allowMissing: true });
  if (body === null) {
    note.textContent = 'This server does not offer event timelines (/strata/v1/backups/{id}/events).';
    return;
  }
  const events = Array.isArray(body) ? body : body.events || Object.values(body).find(Array.isArray) || [];
  note.textContent = `${events.length} events`;
  list.replaceChildren(
    ...events.map((e) => {
      const time = e.occurred_at || e.occurredAt || e.recorded_at || e.recordedAt || e.created_at || '';
      const meta = e.metadata || {};
      const request = e.request_id || e.requestId || meta.requestId || '';
      return el(
        'li',
        { class: 'event', dataset: { type: e.type || '' } },
        el('strong', {}, e.type || '?'),
        ` ${time}`,
        request ? el('span', { class: 'muted' }, ` · ${request}`) : '',
      );
    }),
  );
}

async function main() {
  document.getElementById('token').value = token();
  document.getElementById('whoami').textContent = `as ${token().includes(':') ? token() : 'token holder'}`;
  document.getElementById('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    localStorage.setItem(TOKEN_KEY, document.getElementById('token').value.trim());
    location.search = '';
  });
  try {
    await Promise.all([renderVolumes(), renderJobs()]);
    if (params.get('backup')) await showTimeline(params.get('backup'));
    document.body.dataset.loaded = 'true';
  } catch (error) {
    showError(error);
  }
  setInterval(() => renderJobs().catch(showError), JOBS_EVERY_MS);
  setInterval(() => renderVolumes().catch(showError), VOLUMES_EVERY_MS);
}

main();

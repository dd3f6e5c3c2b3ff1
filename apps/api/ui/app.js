// Strata's operator page: volumes, each volume's backup chain, a backup's event timeline and the running
// jobs. Plain browser JavaScript, no build step: it reads the API with the token kept in localStorage.
// With auth_strategy = keystone it logs in with a Keystone password through Strata (POST
// /strata/v1/auth/tokens), since Keystone is usually another origin the page may not call.
'use strict';

const TOKEN_KEY = 'strata.token';
/** What a password login said of its token: who it is and when it expires (never the password). */
const LOGIN_KEY = 'strata.login';
const DEFAULT_TOKEN = 'admin:admin'; // noauth: user:project
const JOBS_EVERY_MS = 2000;
const VOLUMES_EVERY_MS = 10000;
const SVG_NS = 'http://www.w3.org/2000/svg';

const params = new URLSearchParams(location.search);
if (params.get('token')) {
  localStorage.setItem(TOKEN_KEY, params.get('token'));
  localStorage.removeItem(LOGIN_KEY);
}
/** How this server authenticates (GET /strata/v1/auth); noauth's default token when it cannot say. */
let auth = { strategy: 'unknown', password_login: false };
const token = () => localStorage.getItem(TOKEN_KEY) || (auth.password_login ? '' : DEFAULT_TOKEN);
const savedLogin = () => {
  try {
    return JSON.parse(localStorage.getItem(LOGIN_KEY) || 'null');
  } catch {
    return null;
  }
};

/** The API refused the token (Keystone's 401): the page asks for a password again. */
class Unauthorized extends Error {}

/** GET a JSON route with the token; null for a 404 when `allowMissing` (a route this server lacks). */
async function api(path, { allowMissing = false } = {}) {
  const res = await fetch(path, {
    headers: { 'X-Auth-Token': token(), 'OpenStack-API-Version': 'volume 3.70', Accept: 'application/json' },
  });
  if (allowMissing && (res.status === 404 || res.status === 405)) return null;
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const fault = Object.values(body)[0];
    const message = `${path}: ${(fault && fault.message) || res.statusText} (HTTP ${res.status})`;
    throw res.status === 401 && auth.password_login ? new Unauthorized(message) : new Error(message);
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

/** GET /strata/v1/auth; an older server without it is taken as one that wants a token. */
async function loadAuthInfo() {
  try {
    const res = await fetch('/strata/v1/auth', { headers: { Accept: 'application/json' } });
    if (res.ok) auth = (await res.json()).auth || auth;
  } catch {
    // The page still works with a token typed in.
  }
}

function showLogin(message) {
  document.getElementById('login-section').hidden = false;
  document.getElementById('logout').hidden = true;
  const error = document.getElementById('login-error');
  error.textContent = message || '';
  error.hidden = !message;
  document.body.dataset.login = 'needed';
  document.getElementById('login-username').focus();
}

function forgetLogin() {
  localStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(LOGIN_KEY);
}

/** Who the page acts as: the password login's user, project and roles, or the token as typed. */
function showWhoami() {
  const login = savedLogin();
  const t = token();
  document.getElementById('token').value = login ? '' : t;
  document.getElementById('whoami').textContent = login
    ? `as ${login.user.name} in ${login.project.name} (${login.roles.join(', ')})`
    : t
      ? `as ${t.includes(':') ? t : 'token holder'}`
      : '';
  document.getElementById('logout').hidden = !login;
}

/** The form's credentials go to Strata, which hands them to Keystone; only the token comes back and is kept. */
async function logIn(event) {
  event.preventDefault();
  const value = (id) => document.getElementById(id).value;
  const button = event.target.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const res = await fetch('/strata/v1/auth/tokens', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        username: value('login-username').trim(),
        password: value('login-password'),
        project_name: value('login-project').trim(),
        user_domain_name: value('login-user-domain').trim() || 'Default',
        project_domain_name: value('login-project-domain').trim() || 'Default',
      }),
    });
    const body = await res.json().catch(() => ({}));
    if (res.status !== 201 || !body.login) {
      const fault = Object.values(body)[0];
      showLogin(`${(fault && fault.message) || res.statusText} (HTTP ${res.status})`);
      return;
    }
    const { token: issued, ...login } = body.login;
    localStorage.setItem(TOKEN_KEY, issued);
    localStorage.setItem(LOGIN_KEY, JSON.stringify(login));
    document.getElementById('login-password').value = '';
    document.getElementById('login-section').hidden = true;
    document.body.dataset.login = 'done';
    await loadDashboard();
  } catch (error) {
    showLogin(String(error.message || error));
  } finally {
    button.disabled = false;
  }
}

let polling = false;

/** Draws everything once, then polls; a refused token sends the page back to the login form. */
async function loadDashboard() {
  showWhoami();
  document.getElementById('error').hidden = true;
  const failed = (error) => {
    if (error instanceof Unauthorized) {
      forgetLogin();
      showWhoami();
      showLogin('Keystone no longer accepts your token (it expired or was revoked): log in again.');
    } else showError(error);
  };
  try {
    await Promise.all([renderVolumes(), renderJobs()]);
    if (params.get('backup')) await showTimeline(params.get('backup'));
    document.body.dataset.loaded = 'true';
  } catch (error) {
    failed(error);
  }
  if (polling) return;
  polling = true;
  const whenLoggedIn = (render) => () => {
    if (document.body.dataset.login !== 'needed') render().catch(failed);
  };
  setInterval(whenLoggedIn(renderJobs), JOBS_EVERY_MS);
  setInterval(whenLoggedIn(renderVolumes), VOLUMES_EVERY_MS);
}

async function main() {
  document.getElementById('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    localStorage.setItem(TOKEN_KEY, document.getElementById('token').value.trim());
    localStorage.removeItem(LOGIN_KEY);
    location.search = '';
  });
  document.getElementById('login-form').addEventListener('submit', logIn);
  document.getElementById('logout').addEventListener('click', () => {
    forgetLogin();
    showWhoami();
    showLogin();
  });
  await loadAuthInfo();
  const login = savedLogin();
  if (login && Date.parse(login.expires_at) <= Date.now()) forgetLogin();
  if (auth.password_login && !token()) {
    showWhoami();
    showLogin();
    return;
  }
  await loadDashboard();
}

main();

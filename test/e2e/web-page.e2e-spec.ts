import { CATALOG, type Catalog } from '@strata/catalog';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueToken, keystoneAuthtokenEnv, startKeystone, USERS } from '../support/keystone';
import { dumpDom, screenshot } from './support/chromium';
import { ChromiumSession } from './support/chromium-session';
import { startStrata, type RunningStrata } from './support/strata-app';

const PROJECT = 'ui-project';
const TOKEN = `ui-user:${PROJECT}`;
/** Screenshots land here for people to look at (gitignored). */
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');

/** The chain list items of one volume, in page order: what the page drew, as data. */
const chainItems = (dom: string, volumeId: string) => {
  const card = dom.slice(dom.indexOf(`data-volume-id="${volumeId}"`));
  const list = card.slice(0, card.indexOf('</ol>'));
  return [...list.matchAll(/<li class="backup"([^>]*)>/g)].map((m) =>
    Object.fromEntries([...m[1].matchAll(/data-([a-z-]+)="([^"]*)"/g)].map((a) => [a[1], a[2]])),
  );
};

// Two 1 GiB backups and a browser per test, on a machine that may be busy.
jest.setTimeout(180_000);

describe('GET /ui in headless Chromium', () => {
  let strata: RunningStrata;
  let volumeId: string;
  let fullId: string;
  let incrementalId: string;
  const client = () => strata.client.as({ 'X-Auth-Token': TOKEN });
  const pageUrl = (extra = '') => `${strata.baseUrl}/ui?token=${encodeURIComponent(TOKEN)}${extra}`;

  beforeAll(async () => {
    strata = await startStrata();
    const volume = await client().createVolume(1, 'ui-vol');
    volumeId = volume.id;
    const path = strata.app.get<Catalog>(CATALOG).getVolume(volumeId, { projectId: PROJECT, allProjects: false })!.locationPath!;
    writeFileSync(path, Buffer.alloc(4 << 20, 'a'), { flag: 'r+' });
    fullId = (await client().createBackup(volumeId, { name: 'ui-full' })).id;
    writeFileSync(path, Buffer.alloc(1 << 20, 'b'), { flag: 'r+' });
    incrementalId = (await client().createBackup(volumeId, { name: 'ui-incr', incremental: true })).id;
  }, 300_000);
  afterAll(async () => strata?.close());

  it("draws the project's volume with its chain, full then incremental, with states", async () => {
    const dom = await dumpDom(pageUrl());

    expect(dom).toContain('data-loaded="true"');
    expect(dom).not.toMatch(/<p id="error" class="error">[^<]/);
    expect(chainItems(dom, volumeId)).toEqual([
      { 'backup-id': fullId, status: 'available', 'parent-id': '', depth: '0' },
      { 'backup-id': incrementalId, status: 'available', 'parent-id': fullId, depth: '1' },
    ]);
    expect(dom).toMatch(/<g class="node status-available" data-backup-id="[^"]+"><rect[^>]*><\/rect><text[^>]*>full · ui-full<\/text>/);
    expect(dom).toContain('incr · ui-incr</text>');
    expect(dom).toContain('No backup or restore is running.');
  });

  it("shows a backup's event timeline from /strata/v1/backups/{id}/events, with the request that caused each event", async () => {
    const dom = await dumpDom(pageUrl(`&backup=${incrementalId}`));
    expect(dom).toContain(`<code id="timeline-backup">${incrementalId}</code>`);
    const events = [
      ...dom.matchAll(
        /<li class="event" data-type="([A-Za-z]+)"><strong>\1<\/strong> ([^<]+)<span class="muted"> · (req-[0-9a-f-]+)<\/span>/g,
      ),
    ].map((m) => ({ type: m[1], requestId: m[3] }));
    expect(events.map((e) => e.type)).toEqual(['BackupRequested', 'BackupStarted', 'ChunkWritten', 'BackupCompleted']);
    // The worker's events carry the request that asked for the backup.
    expect(new Set(events.map((e) => e.requestId)).size).toBe(1);
  });

  it('shows a running job with its progress, polled from /strata/v1/jobs', async () => {
    const restore = await client().post(`/v3/backups/${fullId}/restore`, { restore: { name: 'ui-restored' } });
    expect(restore.status).toBe(202);
    const dom = await dumpDom(pageUrl(), 1_000);
    // Running before the page loaded and still running after it: then the page must have shown it.
    const stillRunning = (await client().get(`/strata/v1/jobs/${fullId}`)).status === 200;
    const row = new RegExp(`<tr data-backup-id="${fullId}" data-kind="restore"><td class="id">${fullId}</td><td>restore</td>`);
    if (stillRunning) expect(dom).toMatch(row);
    else expect(row.test(dom) || dom.includes('No backup or restore is running.')).toBe(true);
    await client().waitFor(`/v3/volumes/${restore.body.restore.volume_id}`, (b: any) => b.volume.status === 'available');
  });

  it('saves a screenshot of the page', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, 'strata-ui.png');
    await screenshot(pageUrl(`&backup=${incrementalId}`), file);
    expect(statSync(file).size).toBeGreaterThan(10_000);
    expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
  });
});

describe('GET /ui with auth_strategy = keystone: logging in with a Keystone password', () => {
  let strata: RunningStrata;
  let browser: ChromiumSession;
  let volumeId: string;
  let backupId: string;

  /** Types into the login form and submits it, as a person does. */
  const submitLogin = (password: string) =>
    browser.evaluate(`(() => {
      const set = (id, v) => { document.getElementById(id).value = v; };
      set('login-username', ${JSON.stringify(USERS.alice.name)});
      set('login-password', ${JSON.stringify(password)});
      set('login-project', ${JSON.stringify(USERS.alice.project)});
      document.getElementById('login-form').requestSubmit();
    })()`);

  beforeAll(async () => {
    startKeystone();
    strata = await startStrata(keystoneAuthtokenEnv());
    const alice = await issueToken(USERS.alice);
    const client = strata.client.as({ 'X-Auth-Token': alice.token });
    volumeId = (await client.createVolume(1, 'alice-ui-vol')).id;
    backupId = (await client.createBackup(volumeId, { name: 'alice-ui-full' })).id;
    browser = await ChromiumSession.open();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await strata?.close();
  });

  it('asks for a password instead of loading anything, and says when Keystone refuses it', async () => {
    await browser.goto(`${strata.baseUrl}/ui`);
    await browser.waitFor(`document.body.dataset.login === 'needed'`);
    expect(await browser.evaluate('document.getElementById("login-section").hidden')).toBe(false);
    expect(await browser.evaluate('document.body.dataset.loaded')).toBeUndefined();

    await submitLogin('not-her-password');
    await browser.waitFor(`!document.getElementById('login-error').hidden`);
    expect(await browser.evaluate('document.getElementById("login-error").textContent')).toBe(
      'Keystone refused these credentials for this project. (HTTP 401)',
    );
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'strata-ui-login.png'), await browser.screenshot());
  });

  it("logs alice in and draws demo's volume and backup chain with her token", async () => {
    await submitLogin(USERS.alice.password);
    await browser.waitFor(`document.body.dataset.loaded === 'true'`);
    const dom = await browser.html();
    expect(chainItems(dom, volumeId)).toEqual([{ 'backup-id': backupId, status: 'available', 'parent-id': '', depth: '0' }]);
    expect(await browser.evaluate('document.getElementById("whoami").textContent')).toMatch(/^as alice in demo \(.*member.*\)$/);
    expect(await browser.evaluate('document.getElementById("login-section").hidden')).toBe(true);
    // The page keeps the token and what the login said, never the password.
    const stored = await browser.evaluate<string>('JSON.stringify(Object.assign({}, localStorage))');
    expect(stored).not.toContain(USERS.alice.password);
    expect(JSON.parse(stored)['strata.token']).toMatch(/^gAAAA/);
  });

  it('keeps the login across a reload, and forgets it on log out', async () => {
    await browser.goto(`${strata.baseUrl}/ui?backup=${backupId}`);
    await browser.waitFor(`document.body.dataset.loaded === 'true'`);
    expect(await browser.evaluate('document.getElementById("timeline-backup").textContent')).toBe(backupId);

    await browser.evaluate(`document.getElementById('logout').click()`);
    await browser.waitFor(`document.body.dataset.login === 'needed'`);
    expect(await browser.evaluate('localStorage.getItem("strata.token")')).toBeNull();
  });
});

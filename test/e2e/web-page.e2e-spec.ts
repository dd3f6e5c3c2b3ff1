import { CATALOG, type Catalog } from '@strata/catalog';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dumpDom, screenshot } from './support/chromium';
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

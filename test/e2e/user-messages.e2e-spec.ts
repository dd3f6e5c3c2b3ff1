import { mkdtempSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manageFile } from './support/managed-file';
import { managedDirOf, startStrata, startStrataWithTokens, type RunningStrata } from './support/strata-app';
import type { StrataClient } from './support/strata-client';

const V370 = { 'OpenStack-API-Version': 'volume 3.70' };
const tokens = {
  'admin-tok': { user_id: 'root', project_id: 'ops', roles: ['admin'] },
  'alice-tok': { user_id: 'alice', project_id: 'project-a', roles: ['member', 'reader'] },
  'bob-tok': { user_id: 'bob', project_id: 'project-b', roles: ['member', 'reader'] },
};

/** Every regular file under a directory. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

/** Backs a volume up, removes the backup's data objects from the repository, and restores the backup over the volume. */
const failedRestore = async (strata: RunningStrata, client: StrataClient) => {
  const volume = await client.createVolume(1, 'source');
  const backup = await client.createBackup(volume.id, { name: 'doomed' });
  expect(backup.status).toBe('available');
  const objects = filesUnder(strata.options.backup_posix_path).filter(
    (p) => p.includes(backup.id) && !p.endsWith('_metadata') && !p.endsWith('_sha256file'),
  );
  expect(objects.length).toBeGreaterThan(0);
  for (const path of objects) unlinkSync(path);
  const restore = await client.post(`/v3/backups/${backup.id}/restore`, { restore: { volume_id: volume.id } });
  expect(restore.status).toBe(202);
  await client.waitFor(`/v3/volumes/${volume.id}`, (b: any) => b.volume.status === 'error_restoring');
  await client.waitFor(`/v3/backups/${backup.id}`, (b: any) => b.backup.status === 'available');
  return { backupId: backup.id as string, volumeId: volume.id as string, requestId: restore.headers.get('x-openstack-request-id')! };
};

describe('user messages (GET/DELETE /v3/{project}/messages) as Cinder shows them', () => {
  describe('with a token file: owners, other projects, admins', () => {
    let strata: RunningStrata;
    const as = (token: string) => strata.client.as({ 'X-Auth-Token': token, ...V370 });
    let restore: Awaited<ReturnType<typeof failedRestore>>;

    beforeAll(async () => {
      strata = await startStrataWithTokens(tokens);
      restore = await failedRestore(strata, as('alice-tok'));
    }, 120_000);
    afterAll(async () => strata?.close());

    it('leaves a message for a restore whose objects were deleted from the repository', async () => {
      const res = await as('alice-tok').get('/v3/project-a/messages');
      expect(res.status).toBe(200);
      expect(res.body.messages).toHaveLength(1);
      const [message] = res.body.messages;
      expect(message).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        event_id: 'VOLUME_VOLUME_BACKUP_015_026',
        user_message: 'restore backup:Backup driver failed to restore backup.',
        message_level: 'ERROR',
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/),
        guaranteed_until: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/),
        request_id: restore.requestId,
        resource_type: 'VOLUME_BACKUP',
        resource_uuid: restore.backupId,
        links: [
          { rel: 'self', href: `${strata.baseUrl}/v3/project-a/messages/${message.id}` },
          { rel: 'bookmark', href: `${strata.baseUrl}/project-a/messages/${message.id}` },
        ],
      });
      // message_ttl's default, 30 days.
      expect(Date.parse(`${message.guaranteed_until}Z`) - Date.parse(`${message.created_at}Z`)).toBe(2_592_000_000);
      expect((await as('alice-tok').get(`/v3/messages/${message.id}`)).body).toEqual({ message: { ...message, links: expect.any(Array) } });
      // The message's id is the failure event's: an admin reads the reason there.
      const events = await as('admin-tok').get(`/strata/v1/backups/${restore.backupId}/events`);
      const failure = events.body.events.find((e: any) => e.type === 'RestoreFailed');
      expect(failure.event_id).toBe(message.id);
      expect(failure.data.reason).toEqual(expect.any(String));
    });

    it("keeps a project's messages from other projects; an admin sees every project's", async () => {
      const [message] = (await as('alice-tok').get('/v3/messages')).body.messages;
      expect((await as('bob-tok').get('/v3/messages')).body).toEqual({ messages: [] });
      expect((await as('bob-tok').get(`/v3/messages/${message.id}`)).body).toEqual({
        itemNotFound: { code: 404, message: `Message ${message.id} could not be found.` },
      });
      expect((await as('bob-tok').delete(`/v3/messages/${message.id}`)).status).toBe(404);
      expect((await as('admin-tok').get('/v3/messages')).body.messages.map((m: any) => m.id)).toEqual([message.id]);
    });

    it("filters as Cinder's resource filters allow, refuses others, and exists from 3.3", async () => {
      const alice = as('alice-tok');
      expect((await alice.get(`/v3/messages?event_id=VOLUME_VOLUME_BACKUP_015_026`)).body.messages).toHaveLength(1);
      expect((await alice.get(`/v3/messages?resource_type=VOLUME`)).body.messages).toHaveLength(0);
      expect((await alice.get(`/v3/messages?project_id=project-a`)).body).toEqual({
        badRequest: { code: 400, message: 'Invalid filters project_id are found in query options.' },
      });
      expect((await alice.get(`/v3/messages?event_id~=015`)).status).toBe(400);
      expect((await as('admin-tok').get(`/v3/messages?event_id~=015`)).body.messages).toHaveLength(1);
      expect((await as('admin-tok').get(`/v3/messages?colour=red`)).body).toEqual({ messages: [] });
      expect((await alice.get('/v3/messages', { 'OpenStack-API-Version': 'volume 3.2' })).status).toBe(404);
      // Before 3.5 Cinder reads no parameter of the list.
      expect((await alice.get('/v3/messages?resource_type=VOLUME', { 'OpenStack-API-Version': 'volume 3.4' })).body.messages).toHaveLength(
        1,
      );
      expect((await alice.get('/v3/messages?sort=colour')).body).toEqual({
        badRequest: { code: 400, message: 'Invalid input received: Invalid sort key' },
      });
    });

    it('deletes a message once, as an event that a catalog rebuild replays', async () => {
      const alice = as('alice-tok');
      const [message] = (await alice.get('/v3/messages')).body.messages;
      const deleted = await alice.delete(`/v3/messages/${message.id}`);
      expect(deleted.status).toBe(204);
      expect((await alice.get('/v3/messages')).body).toEqual({ messages: [] });
      expect((await alice.get(`/v3/messages/${message.id}`)).status).toBe(404);
      expect((await alice.delete(`/v3/messages/${message.id}`)).status).toBe(404);
      const history = await as('admin-tok').get(`/strata/v1/events?type=UserMessageDeleted`);
      expect(history.status).toBe(200);
      expect(JSON.stringify(history.body)).toContain(message.id);

      expect((await as('admin-tok').post('/strata/v1/catalog/rebuild', {})).status).toBe(200);
      expect((await alice.get('/v3/messages')).body).toEqual({ messages: [] });
      expect((await alice.get(`/v3/messages/${message.id}`)).status).toBe(404);
    });
  });

  describe('in noauth mode', () => {
    let strata: RunningStrata;
    const stateDir = mkdtempSync(join(tmpdir(), 'strata-messages-'));
    const client = () => strata.client.as({ 'X-Auth-Token': 'demo:demo', ...V370 });
    beforeAll(async () => {
      strata = await startStrata({}, stateDir);
    });
    afterAll(async () => {
      await strata?.close();
      rmSync(stateDir, { recursive: true, force: true });
      rmSync(managedDirOf(stateDir), { recursive: true, force: true });
    });

    it('a backup that fails leaves VOLUME_VOLUME_BACKUP_013_020 on the backup', async () => {
      const { volume, path } = await manageFile(client(), strata.managedDir, 1, 'vanishing');
      unlinkSync(path);
      const backup = await client().createBackup(volume.id, {}, 'error');
      const list = await client().get(`/v3/demo/messages?resource_uuid=${backup.id}`);
      expect(list.body.messages).toHaveLength(1);
      expect(list.body.messages[0]).toMatchObject({
        event_id: 'VOLUME_VOLUME_BACKUP_013_020',
        user_message: 'create backup:Backup driver failed to create backup.',
        resource_type: 'VOLUME_BACKUP',
        resource_uuid: backup.id,
      });
    });

    it('a volume that cannot be created from its source leaves VOLUME_VOLUME_008_012 on the volume, in error', async () => {
      const { volume: source, path } = await manageFile(client(), strata.managedDir, 1, 'emptied-source');
      unlinkSync(path);
      const res = await client().post('/v3/volumes', { volume: { source_volid: source.id, name: 'clone' } });
      expect(res.status).toBe(202);
      const clone = await client().waitFor(`/v3/volumes/${res.body.volume.id}`, (b: any) => b.volume.status !== 'creating');
      expect(clone.volume.status).toBe('error');
      const list = await client().get(`/v3/demo/messages?resource_uuid=${clone.volume.id}`);
      expect(list.body.messages).toEqual([
        expect.objectContaining({
          event_id: 'VOLUME_VOLUME_008_012',
          user_message: 'create volume from backend storage:Driver failed to create the volume.',
          resource_type: 'VOLUME',
          resource_uuid: clone.volume.id,
        }),
      ]);
    });

    it('a message expires message_ttl seconds after it was created, computed when it is read', async () => {
      const [message] = (await client().get('/v3/messages')).body.messages;
      expect(message).toBeDefined();
      // The same state read by a Strata whose message_ttl is 0: every message has expired.
      await strata.close();
      const shortLived = await startStrata({ STRATA_MESSAGE_TTL: '0' }, stateDir);
      try {
        const c = shortLived.client.as({ 'X-Auth-Token': 'demo:demo', ...V370 });
        expect((await c.get('/v3/messages')).body).toEqual({ messages: [] });
        expect((await c.get(`/v3/messages/${message.id}`)).status).toBe(404);
      } finally {
        await shortLived.close();
      }
      strata = await startStrata({}, stateDir);
      expect((await client().get(`/v3/messages/${message.id}`)).body.message.id).toBe(message.id);
    });
  });
});

import { CATALOG, type Catalog } from '@strata/catalog';
import { jobLeaseStreamId, type JobLeaseEvent } from '@strata/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@strata/event-store';
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, promises as fsp, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { managedDirOf, startStrata, type RunningStrata } from './support/strata-app';
import { WorkerProcess } from './support/worker-process';

const MIB = 1024 * 1024;
/** Small objects, so that the volume is hundreds of them and a kill lands between two of them or inside one. */
const OBJECT_BYTES = 4 * MIB;
const DATA_BYTES = 256 * MIB;
const LEASE_SECONDS = 2;
const SEED = Number(process.env.STRATA_CRASH_SEED ?? 20261127);

/** mulberry32: a seeded generator, so a failing run can be replayed with STRATA_CRASH_SEED. */
const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** Random-ish data: each MiB a quarter random bytes, the rest text that compresses; the rest of the volume stays zero. */
const fillVolume = async (path: string, random: () => number) => {
  const handle = await fsp.open(path, 'r+');
  try {
    const piece = Buffer.alloc(MIB);
    for (let offset = 0; offset < DATA_BYTES; offset += MIB) {
      for (let i = 0; i < MIB / 4; i += 4) piece.writeUInt32LE(Math.floor(random() * 2 ** 32), i);
      piece.write(`mebibyte ${offset / MIB} of the crash-safety volume; `.repeat(20_000), MIB / 4, 'latin1');
      await handle.write(piece, 0, MIB, offset);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
};

const sha256Of = (path: string) =>
  new Promise<string>((ok, fail) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (c) => hash.update(c))
      .on('end', () => ok(hash.digest('hex')))
      .on('error', fail);
  });

const readStream = async (store: EventStore, streamId: string): Promise<RecordedEvent[]> => {
  const events: RecordedEvent[] = [];
  for await (const e of store.readStream(streamId)) events.push(e);
  return events;
};

/**
 * Every acquisition of a lease happened when no other worker held it live: after a release, or after
 * the previous holder's last promised expiry. So no two live workers ever ran the job at once.
 */
const overlappingLeases = (events: readonly RecordedEvent[]): string[] => {
  const overlaps: string[] = [];
  let holder: { workerId: string; expiresAt: string } | null = null;
  for (const { type, data } of events as unknown as JobLeaseEvent[]) {
    if (type === 'JobLeaseReleased') holder = null;
    else if (type === 'JobLeaseRenewed') holder = { workerId: data.workerId, expiresAt: data.expiresAt };
    else {
      if (holder && holder.workerId !== data.workerId && Date.parse(data.acquiredAt) < Date.parse(holder.expiresAt))
        overlaps.push(`${data.workerId} took the job at ${data.acquiredAt} from ${holder.workerId}, live until ${holder.expiresAt}`);
      holder = { workerId: data.workerId, expiresAt: data.expiresAt };
    }
  }
  return overlaps;
};

describe('crash safety: workers killed with SIGKILL at random points', () => {
  let stateDir: string;
  let strata: RunningStrata;
  let workers: WorkerProcess[] = [];
  const env = {
    STRATA_RUN_WORKER: 'false',
    STRATA_BACKUP_FILE_SIZE: String(OBJECT_BYTES),
    STRATA_WORKER_LEASE_SECONDS: String(LEASE_SECONDS),
    STRATA_LOG_LEVEL: 'warn',
  };
  const client = () => strata.client;
  const catalog = () => strata.app.get<Catalog>(CATALOG);
  const store = () => strata.app.get<EventStore>(EVENT_STORE);
  const newWorker = () => {
    const worker = new WorkerProcess(stateDir, { ...env, STRATA_LOG_LEVEL: 'info' });
    workers.push(worker);
    return worker;
  };
  const locationOf = (volumeId: string) => catalog().getVolume(volumeId, { projectId: '', allProjects: true })!.locationPath!;

  beforeEach(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'strata-crash-'));
    // The api alone, in this process: it serves HTTP and appends requests; workers are other processes.
    strata = await startStrata(env, stateDir);
  });
  afterEach(async () => {
    for (const w of workers) await w.kill();
    workers = [];
    await strata?.close();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(managedDirOf(stateDir), { recursive: true, force: true });
  });

  /**
   * Kills the worker `kills` times, each a random moment (0–`maxDelayMs` ms) after the job showed progress
   * made by that worker process, restarting it each time, then lets the job finish. Returns how many kills
   * landed.
   */
  const killRepeatedly = async (
    worker: WorkerProcess,
    random: () => number,
    kills: number,
    progress: () => number,
    finished: () => Promise<boolean>,
    maxDelayMs = 500,
  ): Promise<number> => {
    let killed = 0;
    let seen = -1;
    while (killed < kills) {
      if (!worker.running) {
        await worker.start();
        // Progress the dead worker recorded must not count as the new one's: catch up first.
        await catalog().waitForPosition(await store().headPosition());
        seen = progress();
      }
      const deadline = Date.now() + 120_000;
      while (progress() <= seen && !(await finished())) {
        if (Date.now() > deadline) throw new Error(`no progress after ${killed} kills:\n${worker.log}`);
        await sleep(25);
      }
      seen = progress();
      await sleep(random() * maxDelayMs);
      if (await finished()) break;
      await worker.kill();
      killed++;
    }
    if (!worker.running) await worker.start();
    return killed;
  };

  it('resumes a backup and a restore after 20+ kills: byte-identical restore, no orphan or duplicate object', async () => {
    const random = seeded(SEED);
    const worker = newWorker();
    await worker.start();
    const source = await client().createVolume(1, 'crash-source');
    await fillVolume(locationOf(source.id), random);
    const sourceSha = await sha256Of(locationOf(source.id));

    const backup = await client().createBackup(source.id, { name: 'crash' }, null);
    const backupDone = async () => (await client().get(`/v3/backups/${backup.id}`)).body.backup.status !== 'creating';
    // 20 kills for the backup, the longer job (256 objects), each up to 150 ms after progress. At 500 ms a cycle let
    // the worker write about 18 objects and on CI's faster machine the backup ended after 14 of 16 kills (2026-12-06).
    // Asked for 40, the backup took 25 kills at 200 ms and 33 at 150 ms here: 20 leaves room for a machine 1.6x faster.
    // The restore ends before its 12 (5 to 8 land), so the backup's kills carry the 20.
    const backupKills = await killRepeatedly(
      worker,
      random,
      20,
      () => catalog().getJob(backup.id, 'backup')?.objectsDone ?? -1,
      backupDone,
      150,
    );
    const done = (await client().waitFor(`/v3/backups/${backup.id}`, (b: any) => b.backup.status !== 'creating', 180_000)).backup;
    expect(done.status).toBe('available');
    // A kill between the backup's completion and its lock's release (two appends) leaves the lock to the next
    // worker's repair of stale locks, once the dead worker's lease has lapsed: the volume gets its status back
    // then, not at once (seen once in CI, 2026-12-06).
    const sourceAfter = (await client().waitFor(`/v3/volumes/${source.id}`, (b: any) => b.volume.status !== 'backing-up', 180_000)).volume;
    expect(sourceAfter.status).toBe('available');

    const restore = await client().post(`/v3/backups/${backup.id}/restore`, { restore: { name: 'crash-target' } });
    expect(restore.status).toBe(202);
    const targetId: string = restore.body.restore.volume_id;
    const restoreDone = async () => (await client().get(`/v3/volumes/${targetId}`)).body.volume.status !== 'restoring-backup';
    const restoreKills = await killRepeatedly(
      worker,
      random,
      12,
      () => catalog().getJob(backup.id, 'restore')?.objectsDone ?? -1,
      restoreDone,
      // A restore makes one pass over the volume now: killed up to 500 ms after its progress, it ended before 12 kills;
      // up to 150 ms, 7 kills landed once.
      100,
    );
    const target = (await client().waitFor(`/v3/volumes/${targetId}`, (b: any) => b.volume.status !== 'restoring-backup', 180_000)).volume;
    expect(target.status).toBe('available');
    expect((await client().get(`/v3/backups/${backup.id}`)).body.backup.status).toBe('available');
    expect(await sha256Of(locationOf(targetId))).toBe(sourceSha);

    // The repository holds exactly the objects _metadata lists (no orphan), each range once (no duplicate).
    const row = catalog().getBackup(backup.id, { projectId: '', allProjects: true })!;
    const dir = join(strata.options.backup_posix_path, row.container!);
    const metadata = JSON.parse(await fsp.readFile(join(dir, `${row.serviceMetadata}_metadata`), 'utf8'));
    const objects = (metadata.objects as Record<string, { offset: number; length: number }>[]).map((o) => Object.entries(o)[0]!);
    expect(readdirSync(dir).sort()).toEqual(
      [...objects.map(([name]) => name), `${row.serviceMetadata}_metadata`, `${row.serviceMetadata}_sha256file`].sort(),
    );
    expect(objects.map(([, o]) => o.offset)).toEqual(objects.map((_, k) => k * OBJECT_BYTES));
    expect(objects).toHaveLength(Math.ceil((1024 * MIB) / OBJECT_BYTES));
    const backupEvents = await readStream(store(), `backup-${backup.id}`);
    const chunkIndexes = backupEvents.filter((e) => e.type === 'ChunkWritten').map((e) => (e.data as { objectIndex: number }).objectIndex);
    expect(chunkIndexes).toEqual(objects.map((_, k) => k + 1));

    const leaseEvents = await readStream(store(), jobLeaseStreamId({ kind: 'backup', id: backup.id }));
    expect(overlappingLeases(leaseEvents)).toEqual([]);
    const takeovers = leaseEvents.filter(
      (e) => e.type === 'JobLeaseAcquired' && (e.data as { takenOverFrom: string | null }).takenOverFrom,
    );
    const restoreCheckpoints = backupEvents.filter((e) => e.type === 'RestoreProgressed').length;
    // Every worker process that ran part of the jobs took them up where the log said; all but the first resumed.
    const acquirers = new Set(
      leaseEvents.filter((e) => e.type === 'JobLeaseAcquired').map((e) => (e.data as { workerId: string }).workerId),
    );
    console.log(
      [
        `crash safety (seed ${SEED}): ${backupKills + restoreKills} SIGKILLs (${backupKills} during the backup, ${restoreKills} during the restore)`,
        `  jobs resumed by a new worker process: ${acquirers.size - 1} (${takeovers.length} of them took over a lease that had expired)`,
        `  backup: ${objects.length} objects, each recorded once; repository = _metadata exactly (0 orphans, 0 duplicates)`,
        `  restore: ${restoreCheckpoints} checkpoints; sha256 of the restored volume = the source's (${sourceSha.slice(0, 16)}…)`,
        '  data lost or corrupted: none',
      ].join('\n'),
    );
    expect(backupKills + restoreKills).toBeGreaterThanOrEqual(20);
    // Each kill (but one landing between a job's end and the api seeing it) is followed by a new process resuming.
    expect(acquirers.size - 1).toBeGreaterThanOrEqual(20);
    expect(takeovers.length).toBeGreaterThan(0);
  }, 600_000);
});

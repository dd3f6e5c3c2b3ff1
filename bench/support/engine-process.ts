/**
 * Strata's engine alone in a process of its own, one per trial of `bench:e2e`: the steps the API just did
 * (full, incremental, restore of the incremental), each timed here on a settled disk and sent back to the
 * bench over IPC.
 *
 * A process per trial, as the service under the bench is: run in the bench's own process, the engine
 * went into trials 2 and 3 with its code already compiled by trial 1 while each trial's service started
 * cold, and its restores there took 0.73–0.90 s against 0.86–1.05 s in a fresh process (2026-12-07, runs
 * V–X and four single-trial runs): the API's restore was 1.14–1.30× the engine's in those trials, 0.95–1.18×
 * where both started cold. The comparison is meant to show what the service adds, not what a warm JIT saves.
 *
 * argv: work directory, base image, codec, image bytes, SHA block bytes.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import {
  POSIX_DEFAULTS,
  PosixRepository,
  WorkerPool,
  readSha256File,
  runBackup,
  runRestore,
  type BackupLocation,
} from '@strata/chunked-driver';
import { changeOnePercent } from './bench-image';
import { engineBackupArgs } from './engine-backup';
import { ZSTD_LEVEL, type EngineReply, type EngineRequest, type EngineStep } from './engine-protocol';
import { seconds } from './settled-clock';

const [work, base, codec, imageBytesText, blockSizeText] = process.argv.slice(2) as [string, string, string, string, string];
const imageBytes = Number(imageBytesText);
const blockSize = Number(blockSizeText);

const repository = new PosixRepository(path.join(work, 'engine-repo'));
const pool = new WorkerPool(2);
const volume = path.join(work, 'engine-volume.img');
const chain: BackupLocation[] = [];

const backupOnce = async (parentAt: BackupLocation | null): Promise<number> => {
  const options = { ...POSIX_DEFAULTS, compression: codec, compressionLevel: ZSTD_LEVEL, workers: 2 };
  const [at, s] = await seconds(async () => {
    // Inside the clock, as the worker reads its parent's block hashes inside the job.
    const parent = parentAt ? await readSha256File(repository, parentAt.container, parentAt.prefix) : null;
    const backup = engineBackupArgs(repository, volume, options, parent, pool);
    await runBackup(backup.args);
    return backup.at;
  });
  chain.push(at);
  return s;
};

const steps: Record<EngineStep, () => Promise<number>> = {
  full: () => backupOnce(null),
  incremental: async () => {
    // The same blocks the bench changed in the API's volume (same seed), in place.
    await changeOnePercent(volume, imageBytes, blockSize);
    return backupOnce(chain[chain.length - 1] ?? null);
  },
  restore: async () => {
    const target = path.join(work, 'engine-target.img');
    await (await fsp.open(target, 'w')).close();
    await fsp.truncate(target, imageBytes);
    try {
      // As the worker restores into an existing volume: written in place, never grown.
      return (await seconds(() => runRestore({ repository, chain, target: { path: target, isNew: false, fixedSize: true }, pool })))[1];
    } finally {
      await fsp.rm(target, { force: true });
    }
  },
};

const close = async (): Promise<void> => {
  await pool.close();
  await fsp.rm(path.join(work, 'engine-repo'), { recursive: true, force: true });
  await fsp.rm(volume, { force: true });
};

const reply = (message: EngineReply): void => {
  process.send?.(message);
};

const main = async (): Promise<void> => {
  await fsp.mkdir(path.join(work, 'engine-repo'), { recursive: true });
  await fsp.copyFile(base, volume);
  // One step at a time: the bench waits for each reply before it asks again.
  process.on('message', (request: EngineRequest) => {
    const done =
      request.step === 'close'
        ? close().then(() => {
            reply({ closed: true });
            process.disconnect?.();
          })
        : steps[request.step]().then((s) => reply({ seconds: s }));
    done.catch((error: unknown) => reply({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
  });
  reply({ ready: true });
};

main().catch((error: unknown) => {
  reply({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
});

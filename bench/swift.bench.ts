/**
 * Backup and restore throughput into a real Swift on 127.0.0.1 (scripts/swift-saio.sh, started if needed).
 *
 * A 256 MiB seeded image (1 MiB regions: 40% zeros, 30% text, 30% random) is backed up with the Swift
 * defaults (50 MiB objects, 32 KiB blocks) with codec none and zlib, then restored; before that, one
 * object of the image size is PUT through the same repository writer (the HTTP ceiling of this path).
 * MB = 10^6 bytes over the image size.
 *
 *   npm run bench:swift
 *   GLIBC_TUNABLES=glibc.malloc.hugetlb=1 npm run bench:swift
 *
 * Env: BENCH_SIZE_MB (256), BENCH_CODECS (none,zlib), BENCH_DIR (os.tmpdir()).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { deleteByPrefix, objectStorePrefix, runBackup, runRestore, SWIFT_DEFAULTS, SwiftRepository } from '@strata/chunked-driver';

const MiB = 1 << 20;
const sizeMb = Number(process.env['BENCH_SIZE_MB'] ?? 256);
const codecs = (process.env['BENCH_CODECS'] ?? 'none,zlib').split(',');
const imageBytes = sizeMb * MiB;
const mbps = (seconds: number) => (imageBytes / 1e6 / seconds).toFixed(0);

const seconds = async (f: () => Promise<unknown>): Promise<number> => {
  const t = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - t) / 1e9;
};

const buildImage = async (file: string): Promise<void> => {
  let x = 42;
  const next = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  const region = Buffer.alloc(MiB);
  const words = 'the backup volume restore chunk object block hash swift cinder strata of and to in is '.split(' ');
  const fh = await fsp.open(file, 'w');
  for (let i = 0; i < sizeMb; i++) {
    const pick = next() % 10;
    if (pick < 4) region.fill(0);
    else if (pick < 7) for (let at = 0; at < MiB;) at += region.write(`${words[next() % words.length]} `, at, 'latin1');
    else for (let k = 0; k < MiB; k += 4) region.writeUInt32LE(next(), k);
    await fh.write(region, 0, MiB, i * MiB);
  }
  await fh.close();
};

const main = async () => {
  execFileSync('bash', [path.resolve(__dirname, '../../scripts/swift-saio.sh'), 'start'], { stdio: 'inherit' });
  const proxy = `http://127.0.0.1:${process.env['STRATA_SAIO_PORT'] ?? '8080'}`;
  const account = `${proxy}/v1/AUTH_strata-bench-${randomUUID().slice(0, 8)}`;
  const repository = new SwiftRepository({
    auth: { authUrl: `${proxy}/auth/v1.0`, authVersion: '1', user: 'admin:admin', key: 'admin', storageUrl: account },
    retry: { attempts: 3, backoffSeconds: 1 },
  });
  const dir = await fsp.mkdtemp(path.join(process.env['BENCH_DIR'] ?? os.tmpdir(), 'strata-swift-bench-'));
  const image = path.join(dir, 'volume.img');
  console.log(
    `swift bench: ${sizeMb} MiB image, node ${process.version}, ${os.cpus().length} cpus, ` +
      `GLIBC_TUNABLES=${process.env['GLIBC_TUNABLES'] ?? '(unset)'}`,
  );
  try {
    await buildImage(image);
    await repository.ensureContainer('volumebackups');
    const put = await seconds(async () =>
      pipeline(createReadStream(image, { highWaterMark: MiB }), await repository.openWriter('volumebackups', 'ceiling')),
    );
    console.log(`  one ${sizeMb} MiB PUT through the repository writer: ${put.toFixed(2)} s = ${mbps(put)} MB/s`);
    await repository.deleteObject('volumebackups', 'ceiling');
    for (const codec of codecs) {
      const at = {
        container: 'volumebackups',
        prefix: objectStorePrefix({ volumeId: 'bench', backupId: randomUUID(), at: new Date(), availabilityZone: 'nova' }),
      };
      const header = {
        backupId: randomUUID(),
        volumeId: 'bench',
        name: null,
        description: null,
        createdAt: new Date().toISOString(),
        volumeMeta: null,
        parentId: null,
      };
      let stored = 0;
      const backup = await seconds(async () => {
        stored = (
          await runBackup({ repository, ...at, source: { path: image }, header, options: { ...SWIFT_DEFAULTS, compression: codec } })
        ).bytesWritten;
      });
      const target = path.join(dir, `restored-${codec}.img`);
      const restore = await seconds(() => runRestore({ repository, chain: [at], target: { path: target, isNew: true } }));
      console.log(
        `  full backup, ${codec}: ${backup.toFixed(2)} s = ${mbps(backup)} MB/s (stored ${(stored / MiB).toFixed(0)} MiB); ` +
          `restore (verified): ${restore.toFixed(2)} s = ${mbps(restore)} MB/s`,
      );
      await fsp.rm(target);
      await deleteByPrefix(repository, at.container, at.prefix);
    }
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
    repository.close();
  }
};

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import {
  defaultPosixContainer,
  deflateImplementation,
  parseMetadata,
  metadataObjectName,
  PosixRepository,
  posixObjectPrefix,
  readSha256File,
  runBackup,
} from '@strata/chunked-driver';
import type { BackupHeader } from '@strata/chunked-driver';
import { header, seededBytes, tempDir, textBytes } from '@strata/chunked-driver/testing/fixtures';
import { assertCinderInstalled, type CinderBackupRef, type CinderRestoreResult, restoreWithCinder } from './support/cinder-restore';

const KiB = 1024;
const BLOCK = 32 * KiB;
/** 2 MiB objects over a 5 MiB image: objects of 2, 2 and 1 MiB, each read in 1 MiB pieces. */
const OPTIONS = { objectSizeBytes: 2048 * KiB, shaBlockSizeBytes: BLOCK, workers: 2 };
const IMAGE_BYTES = 5 * 1024 * KiB;
/** 63 and 64 straddle an object boundary (two objects); 159 is the last block. */
const CHANGED_BLOCKS = [0, 63, 64, 65, 77, 100, 159];
const CODECS = ['none', 'zlib', 'gzip', 'bz2', 'zstd'] as const;
type CodecOption = (typeof CODECS)[number];
const VOLUME_ID = 'aaaaaaaa-1111-4222-8333-444444444444';
const AT = new Date('2024-05-06T07:08:09Z');

/** 3 MiB of 128 KiB regions cycling through zeros, text and random bytes, then random bytes: the last (1 MiB) object does not compress. */
const mixedImage = (): Buffer => {
  const image = Buffer.alloc(IMAGE_BYTES);
  const incompressibleFrom = IMAGE_BYTES - OPTIONS.objectSizeBytes;
  for (let region = 0, at = 0; at < incompressibleFrom; region++, at += 128 * KiB) {
    if (region % 3 === 1) textBytes(128 * KiB).copy(image, at);
    if (region % 3 === 2) seededBytes(128 * KiB, region + 1).copy(image, at);
  }
  seededBytes(OPTIONS.objectSizeBytes, 99).copy(image, incompressibleFrom);
  return image;
};

/** The image with some blocks rewritten, alternately with random bytes and with compressible text. */
const modifiedImage = (original: Buffer): Buffer => {
  const image = Buffer.from(original);
  CHANGED_BLOCKS.forEach((block, k) =>
    (k % 2 ? textBytes(BLOCK).fill(k, 0, 100) : seededBytes(BLOCK, 1000 + block)).copy(image, block * BLOCK),
  );
  return image;
};

const volumeMeta = (label: string): string => JSON.stringify({ version: 2, 'volume-metadata': { label } });

interface CodecRun {
  readonly full: CinderBackupRef;
  readonly incremental: CinderBackupRef;
  readonly fullTarget: string;
  readonly incrementalTarget: string;
}

/** Backs up `original`, then `modified` as an incremental on top, with Strata and one compression setting. */
const backUpBoth = async (root: string, dir: string, compression: CodecOption, images: { original: string; modified: string }) => {
  const repository = new PosixRepository(root);
  const backup = async (h: BackupHeader, source: string, parentOf?: CinderBackupRef): Promise<CinderBackupRef> => {
    const ref = {
      id: h.backupId,
      container: defaultPosixContainer(h.backupId),
      prefix: posixObjectPrefix({ volumeId: VOLUME_ID, backupId: h.backupId, at: AT }),
    };
    const parent = parentOf ? await readSha256File(repository, parentOf.container, parentOf.prefix) : null;
    await runBackup({ repository, ...ref, source: { path: source }, header: h, parent, options: { ...OPTIONS, compression } });
    return ref;
  };
  const full = await backup(header({ volumeId: VOLUME_ID, volumeMeta: volumeMeta(`${compression} full`) }), images.original);
  const incremental = await backup(
    header({ volumeId: VOLUME_ID, volumeMeta: volumeMeta(`${compression} incremental`), parentId: full.id }),
    images.modified,
    full,
  );
  return {
    full,
    incremental,
    fullTarget: path.join(dir, `${compression}-full.img`),
    incrementalTarget: path.join(dir, `${compression}-incr.img`),
  };
};

const recordedCompressions = async (root: string, ref: CinderBackupRef): Promise<string[]> => {
  const text = await fsp.readFile(path.join(root, ref.container, metadataObjectName(ref.prefix)), 'utf8');
  return parseMetadata(text).objects.map((o) => o.compression);
};

/**
 * One Cinder process restores every repository below (importing cinder costs seconds, so the restores
 * are done once in beforeAll and each `it` checks one outcome).
 */
describe("Strata repositories restored by Cinder's own PosixBackupDriver", () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let root: string;
  let original: Buffer;
  let modified: Buffer;
  const runs = new Map<CodecOption, CodecRun>();
  let cinder: CinderRestoreResult[];

  beforeAll(async () => {
    assertCinderInstalled();
    tmp = await tempDir('strata-cinder-compat-');
    root = path.join(tmp.dir, 'repo');
    await fsp.mkdir(root);
    original = mixedImage();
    modified = modifiedImage(original);
    const images = { original: path.join(tmp.dir, 'original.img'), modified: path.join(tmp.dir, 'modified.img') };
    await fsp.writeFile(images.original, original);
    await fsp.writeFile(images.modified, modified);
    for (const codec of CODECS) runs.set(codec, await backUpBoth(root, tmp.dir, codec, images));
    cinder = await restoreWithCinder(
      root,
      [...runs.values()].flatMap((r) => [
        { target: r.fullTarget, volumeId: VOLUME_ID, chain: [r.full] },
        { target: r.incrementalTarget, volumeId: VOLUME_ID, chain: [r.full, r.incremental] },
      ]),
    );
  });
  afterAll(() => tmp?.cleanup());

  const run = (codec: CodecOption): CodecRun => runs.get(codec) as CodecRun;

  it.each(CODECS)('restores a full backup written with %s byte for byte', async (codec) => {
    const restored = await fsp.readFile(run(codec).fullTarget);

    expect(restored.length).toBe(IMAGE_BYTES);
    expect(restored.equals(original)).toBe(true);
  });

  it.each(CODECS)('restores an incremental written with %s, layered on its full backup, byte for byte', async (codec) => {
    const restored = await fsp.readFile(run(codec).incrementalTarget);

    expect(restored.length).toBe(IMAGE_BYTES);
    expect(restored.equals(modified)).toBe(true);
  });

  it.each(CODECS)('gave Cinder objects recorded as %s, and the incompressible one as none', async (codec) => {
    const recorded = await recordedCompressions(root, run(codec).full);

    expect(recorded).toEqual([codec, codec, 'none']);
  });

  it("deflated zlib and gzip with ISA-L's add-on, which set-up builds, so Cinder read the add-on's streams above", () => {
    // STRATA_DEFLATE=node runs this suite on Node's zlib instead.
    expect(deflateImplementation()).toBe(process.env.STRATA_DEFLATE === 'node' ? 'node-zlib' : 'isa-l');
  });

  it('writes incrementals of several objects, split at the object boundary', async () => {
    const recorded = await recordedCompressions(root, run('zlib').incremental);

    // blocks 0 | 63 | 64-65 | 77 | 100 | 159: a changed run never crosses a 2 MiB object.
    expect(recorded).toHaveLength(6);
  });

  it("hands Cinder each backup's volume_meta, the full backup's first", () => {
    const byId = new Map(cinder.map((r) => [r.restored, r]));
    for (const codec of CODECS) {
      expect(byId.get(run(codec).full.id)?.volumeMeta).toEqual([volumeMeta(`${codec} full`)]);
      expect(byId.get(run(codec).incremental.id)?.volumeMeta).toEqual([volumeMeta(`${codec} full`), volumeMeta(`${codec} incremental`)]);
    }
  });
});

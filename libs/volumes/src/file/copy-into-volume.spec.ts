import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VolumeCopyCancelled, VolumeCopyFailed } from '../errors';
import { MIB, allocatedBytes, makeTempDir, pattern, readAt, removeTempDir, writeAt, zeros } from '../testing/image-fixtures';
import { GIB_BYTES } from '../volume-size';
import { FileVolumeProvider } from './file-volume.provider';

/** A new volume holding a snapshot's or a volume's bytes: streamed, sparse, checkpointed, resumable, cancellable. */
describe('FileVolumeProvider.copyIntoVolume', () => {
  let root: string;
  let dir: string;
  let provider: FileVolumeProvider;

  beforeEach(async () => {
    root = await makeTempDir('copy');
    dir = join(root, 'volumes');
    provider = new FileVolumeProvider(dir);
  });
  afterEach(() => removeTempDir(root));

  const sourceWith = async (offsets: number[]) => {
    const source = await provider.createVolume('src', 1);
    for (const offset of offsets) await writeAt(source.path, offset, pattern(offset));
    return source;
  };

  it('copies the source byte for byte into a volume of the size asked, the rest zeros, holes kept', async () => {
    const source = await sourceWith([0, 5 * MIB + 512, GIB_BYTES - 4096]);
    const copy = await provider.copyIntoVolume('v1', 2, source);

    expect(copy).toEqual({ kind: 'file', path: join(dir, 'volume-v1.img'), sizeBytes: 2 * GIB_BYTES, owned: true });
    expect((await stat(copy.path)).size).toBe(2 * GIB_BYTES);
    for (const offset of [0, 5 * MIB + 512, GIB_BYTES - 4096]) expect(await readAt(copy.path, offset)).toEqual(pattern(offset));
    expect(await readAt(copy.path, GIB_BYTES + MIB)).toEqual(zeros());
    expect(await allocatedBytes(copy.path)).toBeLessThan(8 * MIB);
  });

  it('checkpoints after an fsync every checkpointEveryBytes, never at the end', async () => {
    const source = await sourceWith([0]);
    const checkpoints: number[] = [];
    await provider.copyIntoVolume('v1', 1, source, { checkpointEveryBytes: 256 * MIB, onCheckpoint: (b) => void checkpoints.push(b) });
    expect(checkpoints).toEqual([256 * MIB, 512 * MIB, 768 * MIB]);
  });

  it('resumes after the checkpoint: bytes before it are not copied again, bytes after it from a dead run are dropped', async () => {
    const source = await sourceWith([MIB, 300 * MIB]);
    const unfinished = join(dir, '.volume-v1.img.copy');
    await writeFile(unfinished, Buffer.alloc(0));
    await writeAt(unfinished, MIB, pattern(42)); // before the checkpoint: trusted as copied
    await writeAt(unfinished, 200 * MIB, pattern(43)); // after it: written by a run that died, not the source's
    const copy = await provider.copyIntoVolume('v1', 1, source, { fromBytes: 128 * MIB });

    expect(await readAt(copy.path, MIB)).toEqual(pattern(42));
    expect(await readAt(copy.path, 200 * MIB)).toEqual(zeros());
    expect(await readAt(copy.path, 300 * MIB)).toEqual(pattern(300 * MIB));
  });

  it('starts again from the beginning when the unfinished image is gone', async () => {
    const source = await sourceWith([MIB]);
    const copy = await provider.copyIntoVolume('v1', 1, source, { fromBytes: 512 * MIB });
    expect(await readAt(copy.path, MIB)).toEqual(pattern(MIB));
  });

  it('stops when cancelled, leaving no volume image; discardVolumeCopy removes the unfinished one', async () => {
    const source = await sourceWith([0]);
    const cancel = new AbortController();
    await expect(
      provider.copyIntoVolume('v1', 1, source, {
        signal: cancel.signal,
        checkpointEveryBytes: 64 * MIB,
        onCheckpoint: () => cancel.abort(),
      }),
    ).rejects.toThrow(VolumeCopyCancelled);
    await expect(stat(join(dir, 'volume-v1.img'))).rejects.toThrow();
    await provider.discardVolumeCopy('v1');
    await expect(stat(join(dir, '.volume-v1.img.copy'))).rejects.toThrow();
  });

  it('returns an image a finished earlier run published, without copying again', async () => {
    const source = await sourceWith([0]);
    const first = await provider.copyIntoVolume('v1', 1, source);
    await writeAt(source.path, 0, pattern(99));
    expect(await provider.copyIntoVolume('v1', 1, source)).toEqual(first);
    expect(await readAt(first.path, 0)).toEqual(pattern(0));
  });

  it('refuses a volume smaller than its source', async () => {
    const source = await provider.createVolume('src', 2);
    await expect(provider.copyIntoVolume('v1', 1, source)).rejects.toThrow(VolumeCopyFailed);
  });
});

import type { BackupLocation } from './backup-files';
import { loadChain } from './backup-chain';
import { MalformedBackupFile, RestoreVerificationFailed } from './errors';
import { readObject } from './object-reader';
import { BufferRing } from './pool/buffer-ring';
import { withPool, type WorkerPool } from './pool/worker-pool';
import type { BackupRepository } from './repository.port';
import { SPARSE_PIECE_BYTES, type RestoreProgress } from './restore-engine';
import { throwIfAborted } from './volume-source';

export interface VerifyChainArgs {
  readonly repository: BackupRepository;
  readonly chain: readonly BackupLocation[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: RestoreProgress) => void;
  readonly workers?: number;
  readonly pool?: WorkerPool;
}

/**
 * Everything a restore checks, without a target: each object's md5, then the volume's final block
 * hashes. Each block is hashed from the newest object in the chain that covers it, which is what a
 * restore would leave on disk.
 */
export const verifyBackupChain = async (args: VerifyChainArgs): Promise<{ blocks: number; objects: number }> => {
  const { repository, signal } = args;
  const chain = await loadChain(repository, args.chain);
  const blockSize = chain.sha.blockSizeBytes;
  const blocks = Math.ceil(chain.regionBytes / blockSize);
  if (blocks !== chain.sha.sha256s.length) throw RestoreVerificationFailed.blockCount(chain.sha.sha256s.length, blocks);
  const entries = chain.members.flatMap((m) =>
    m.metadata.objects.map((entry) => ({ container: m.container, from: m.repository ?? repository, entry })),
  );
  const owner = new Int32Array(blocks).fill(-1);
  entries.forEach(({ entry }, i) => {
    if (entry.offsetBytes % blockSize !== 0) throw new MalformedBackupFile(entry.name, `offset ${entry.offsetBytes} is not block-aligned`);
    const first = entry.offsetBytes / blockSize;
    owner.fill(i, first, Math.min(blocks, Math.ceil((entry.offsetBytes + entry.lengthBytes) / blockSize)));
  });
  const uncovered = owner.indexOf(-1);
  if (uncovered >= 0) throw RestoreVerificationFailed.blockCount(blocks, uncovered);
  const finalHashes: string[] = new Array<string>(blocks);
  const pieceBytes = Math.max(1, Math.floor(SPARSE_PIECE_BYTES / blockSize)) * blockSize;
  return withPool(args.pool, args.workers ?? 2, async (pool) => {
    const ring = new BufferRing(8, pieceBytes);
    let bytesDone = 0;
    for (const [i, { container, from, entry }] of entries.entries()) {
      throwIfAborted(signal, 'verify');
      await readObject({ repository: from, pool, ring }, container, entry, async (piece, at) => {
        const first = (entry.offsetBytes + at) / blockSize;
        const hashes = await pool.sha256Blocks(piece, blockSize);
        hashes.forEach((h, k) => {
          if (owner[first + k] === i) finalHashes[first + k] = h;
        });
      });
      bytesDone += entry.lengthBytes;
      args.onProgress?.({ bytesDone, bytesTotal: chain.totalObjectBytes, objectsDone: i + 1 });
    }
    const bad = finalHashes.findIndex((h, k) => h !== chain.sha.sha256s[k]);
    if (bad >= 0) throw RestoreVerificationFailed.block(bad, chain.sha.sha256s[bad] as string, finalHashes[bad] as string);
    return { blocks, objects: entries.length };
  });
};

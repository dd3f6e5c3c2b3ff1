import { zeroBlockHash } from './block-hash';
import type { WorkerPool } from './pool/worker-pool';

/**
 * The SHA-256 of every block of a restore's target, taken from the bytes as they are written rather
 * than read back afterwards: the restore verifies what it wrote without a second pass over the volume.
 * Valid only while nothing else writes the target (a volume locked for the restore) and only when
 * every write is block-aligned and every block was written in this run; `final()` says when that does
 * not hold (a resumed restore, a gap, a piece off the block grid), and the caller reads the target back.
 */
export class WrittenHashes {
  private readonly hashes: (string | undefined)[];
  private aligned = true;

  constructor(
    private readonly pool: WorkerPool,
    private readonly regionBytes: number,
    private readonly blockSizeBytes: number,
  ) {
    this.hashes = new Array<string | undefined>(Math.ceil(regionBytes / blockSizeBytes));
  }

  /**
   * Records `piece`, now at `offset` on the target. `allZero`: the caller knows it holds only zeros
   * (written, or left as a hole on a new target), so its blocks' hashes need no hashing. A piece past
   * the region or off the block grid makes the set unusable (`final()` is null).
   */
  async record(offset: number, piece: Buffer, allZero: boolean): Promise<void> {
    const block = this.blockSizeBytes;
    const end = offset + piece.length;
    if (offset % block !== 0 || (piece.length % block !== 0 && end !== this.regionBytes) || end > this.regionBytes) {
      this.aligned = false;
      return;
    }
    const first = offset / block;
    const hashes = allZero ? this.zeroBlocks(piece.length) : await this.pool.sha256Blocks(piece, block);
    for (let i = 0; i < hashes.length; i++) this.hashes[first + i] = hashes[i];
  }

  /** Every block's hash, or null when some block was not seen written on the grid: read the target back. */
  final(): readonly string[] | null {
    if (!this.aligned) return null;
    for (let i = 0; i < this.hashes.length; i++) if (this.hashes[i] === undefined) return null;
    return this.hashes as string[];
  }

  private zeroBlocks(length: number): string[] {
    const block = this.blockSizeBytes;
    const out: string[] = [];
    for (let at = 0; at < length; at += block) out.push(zeroBlockHash(Math.min(block, length - at)));
    return out;
  }
}

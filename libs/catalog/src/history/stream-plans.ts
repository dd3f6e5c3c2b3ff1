/**
 * What an import knows of each stream of its file between the check and the appends: the revision the
 * file reaches, the stream's last revision in this store, and whether the two histories disagree.
 *
 * An import of a large history holds one entry per stream for its whole length (about 140,000 at a
 * million events), and V8 lets the event loop's heap grow to about four times what it keeps alive before
 * it collects: an object and a BigInt per stream made this table about 40% of the live heap, and so of
 * the import's peak RSS. Here a stream costs one small-integer map entry; the rarer facts (a stream this
 * store already has, a conflict) have maps of their own.
 */
export class StreamPlans {
  /** The next revision the file must give each stream (= the events the file holds for it). */
  private readonly nextInFile = new Map<string, number>();
  /** The last revision in this store before the import, for the streams it already had. */
  private readonly localLast = new Map<string, number>();
  private readonly conflicting = new Set<string>();

  get size(): number {
    return this.nextInFile.size;
  }

  has(streamId: string): boolean {
    return this.nextInFile.has(streamId);
  }

  /** A stream first met in the file, with its last revision here (-1 when this store has none). */
  add(streamId: string, localLast: bigint): void {
    this.nextInFile.set(streamId, 0);
    if (localLast >= 0n) this.localLast.set(streamId, Number(localLast));
  }

  nextRevisionInFile(streamId: string): number {
    return this.nextInFile.get(streamId) ?? 0;
  }

  advance(streamId: string): void {
    this.nextInFile.set(streamId, this.nextRevisionInFile(streamId) + 1);
  }

  /** Whether this store already holds the stream's `revision` (an event to compare, not to append). */
  isPresentHere(streamId: string, revision: number): boolean {
    return revision <= (this.localLast.get(streamId) ?? -1);
  }

  isConflicting(streamId: string): boolean {
    return this.conflicting.has(streamId);
  }

  markConflicting(streamId: string): void {
    this.conflicting.add(streamId);
  }

  /** Events of the file this store does not hold yet. */
  newEvents(): number {
    let count = 0;
    for (const [streamId, next] of this.nextInFile) count += Math.max(0, next - 1 - (this.localLast.get(streamId) ?? -1));
    return count;
  }
}

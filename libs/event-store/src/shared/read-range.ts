import type { ReadAllOptions, ReadStreamOptions } from '../event-store.port';

/**
 * Where a read starts and how far it may go, from the port's options. Both bounds are inclusive;
 * an empty range has `first` past `last` in the reading direction. Shared so that "forwards from
 * 'end' reads nothing" and "backwards from a revision past the end starts at the end" hold everywhere.
 */
export interface ReadRange {
  readonly forwards: boolean;
  readonly first: bigint;
  /** The lowest value a backwards read may reach, or the highest a forwards read may reach. */
  readonly bound: bigint;
  readonly maxCount: number;
}

const countOf = (maxCount: number | undefined): number => (maxCount === undefined ? Number.POSITIVE_INFINITY : Math.max(0, maxCount));

/** Revisions below `truncateBefore` belong to the stream's life before a soft delete and stay hidden. */
export const streamReadRange = (options: ReadStreamOptions | undefined, lastRevision: bigint, truncateBefore: bigint): ReadRange => {
  const forwards = options?.direction !== 'backwards';
  const from = options?.fromRevision ?? (forwards ? 'start' : 'end');
  const maxCount = countOf(options?.maxCount);
  if (forwards) {
    const first = from === 'start' ? 0n : from === 'end' ? lastRevision + 1n : from;
    return { forwards, first: first < truncateBefore ? truncateBefore : first, bound: lastRevision, maxCount };
  }
  const first = from === 'end' ? lastRevision : from === 'start' ? 0n : from;
  return { forwards, first: first > lastRevision ? lastRevision : first, bound: truncateBefore, maxCount };
};

/** Positions start at 1; `head` is the newest (0n for an empty log). */
export const allReadRange = (options: ReadAllOptions | undefined, head: bigint): ReadRange => {
  const forwards = options?.direction !== 'backwards';
  const from = options?.fromPosition ?? (forwards ? 'start' : 'end');
  const maxCount = countOf(options?.maxCount);
  if (forwards) {
    const first = from === 'start' ? 1n : from === 'end' ? head + 1n : from;
    return { forwards, first: first < 1n ? 1n : first, bound: head, maxCount };
  }
  const first = from === 'end' ? head : from === 'start' ? 0n : from;
  return { forwards, first: first > head ? head : first, bound: 1n, maxCount };
};

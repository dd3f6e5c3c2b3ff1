import type { EventStore } from './event-store.port';

/** A stream folded up to a revision, with the id of the event at that revision (to check it is still there). */
export interface CachedState<State> {
  readonly state: State;
  readonly revision: bigint;
  readonly position: bigint;
  readonly lastEventId: string;
}

/**
 * Streams folded per store, per decider (its `evolve`), least recently used first. Enough for the streams
 * that live work meets again and again (a project's quota, a volume's locks). A state can grow with its
 * stream (a project's quota keeps every claim it decided: 72,000 claims are some 25 MB), so what is kept
 * is bounded by the events its folds cover too, the most recent fold always kept.
 */
const STREAMS_PER_DECIDER = 128;
const EVENTS_PER_DECIDER = 250_000n;

type Fold = (...args: never[]) => unknown;
interface Kept {
  readonly folds: Map<string, CachedState<unknown>>;
  /** The events the folds cover (their revisions + 1). */
  events: bigint;
}
const cache = new WeakMap<EventStore, WeakMap<Fold, Kept>>();

const keptFor = (store: EventStore, evolve: Fold): Kept => {
  let byDecider = cache.get(store);
  if (!byDecider) cache.set(store, (byDecider = new WeakMap()));
  let kept = byDecider.get(evolve);
  if (!kept) byDecider.set(evolve, (kept = { folds: new Map(), events: 0n }));
  return kept;
};

const drop = (kept: Kept, streamId: string): void => {
  const fold = kept.folds.get(streamId);
  if (!fold) return;
  kept.folds.delete(streamId);
  kept.events -= fold.revision + 1n;
};

/**
 * What this process last folded of `streamId` with `evolve`, if it still has it. The events up to its
 * revision never change (the log is append-only), so a read needs only the events after it; the caller
 * checks that the event at the revision is still the one folded (a soft-deleted stream hides it).
 */
export const cachedState = <State>(store: EventStore, streamId: string, evolve: Fold): CachedState<State> | undefined => {
  const { folds } = keptFor(store, evolve);
  const found = folds.get(streamId);
  if (!found) return undefined;
  // Most recently used last.
  folds.delete(streamId);
  folds.set(streamId, found);
  return found as CachedState<State>;
};

/** Keeps a fold for the next read of the stream, unless one further on is kept already. */
export const keepState = <State>(store: EventStore, streamId: string, evolve: Fold, folded: CachedState<State>): void => {
  const kept = keptFor(store, evolve);
  const previous = kept.folds.get(streamId);
  if (previous && previous.revision > folded.revision) return;
  drop(kept, streamId);
  kept.folds.set(streamId, folded);
  kept.events += folded.revision + 1n;
  for (const oldest of kept.folds.keys()) {
    if (kept.folds.size <= 1 || (kept.folds.size <= STREAMS_PER_DECIDER && kept.events <= EVENTS_PER_DECIDER)) break;
    drop(kept, oldest);
  }
};

/** Forgets a stream's fold (its kept event is gone: the stream was soft-deleted). */
export const forgetState = (store: EventStore, streamId: string, evolve: Fold): void => {
  drop(keptFor(store, evolve), streamId);
};

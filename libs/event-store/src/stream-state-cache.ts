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
 * that live work meets again and again (a project's quota, a volume's locks); a state can be large (a
 * project's quota keeps every claim), so the count is bounded.
 */
const STREAMS_PER_DECIDER = 128;

type Fold = (...args: never[]) => unknown;
const cache = new WeakMap<EventStore, WeakMap<Fold, Map<string, CachedState<unknown>>>>();

const streamsOf = (store: EventStore, evolve: Fold): Map<string, CachedState<unknown>> => {
  let byDecider = cache.get(store);
  if (!byDecider) cache.set(store, (byDecider = new WeakMap()));
  let streams = byDecider.get(evolve);
  if (!streams) byDecider.set(evolve, (streams = new Map()));
  return streams;
};

/**
 * What this process last folded of `streamId` with `evolve`, if it still has it. The events up to its
 * revision never change (the log is append-only), so a read needs only the events after it; the caller
 * checks that the event at the revision is still the one folded (a soft-deleted stream hides it).
 */
export const cachedState = <State>(store: EventStore, streamId: string, evolve: Fold): CachedState<State> | undefined => {
  const streams = streamsOf(store, evolve);
  const found = streams.get(streamId);
  if (!found) return undefined;
  // Most recently used last.
  streams.delete(streamId);
  streams.set(streamId, found);
  return found as CachedState<State>;
};

/** Keeps a fold for the next read of the stream, unless one further on is kept already. */
export const keepState = <State>(store: EventStore, streamId: string, evolve: Fold, folded: CachedState<State>): void => {
  const streams = streamsOf(store, evolve);
  const kept = streams.get(streamId);
  if (kept && kept.revision > folded.revision) return;
  streams.delete(streamId);
  streams.set(streamId, folded);
  if (streams.size > STREAMS_PER_DECIDER) streams.delete(streams.keys().next().value!);
};

/** Forgets a stream's fold (its kept event is gone: the stream was soft-deleted). */
export const forgetState = (store: EventStore, streamId: string, evolve: Fold): void => {
  streamsOf(store, evolve).delete(streamId);
};

import { decodeNotifierEvent, jobLeaseStreamId, NOTIFIER_CHECKPOINT_STREAM, NOTIFIER_LEASE_SUBJECT } from '@strata/domain';
import { StreamNotFound, type EventStore, type RecordedEvent } from '@strata/event-store';

/** Where the notifier's outbox stands: the last position the broker confirmed, and the checkpoint's own revision. */
export interface NotifierCheckpointRead {
  readonly through: bigint | null;
  /** The checkpoint stream's revision, the expectation of the next checkpoint; -1n before the first. */
  readonly revision: bigint;
  readonly publishedAt: string | null;
}

export const readNotifierCheckpoint = async (store: EventStore): Promise<NotifierCheckpointRead> => {
  try {
    for await (const e of store.readStream(NOTIFIER_CHECKPOINT_STREAM, { direction: 'backwards', fromRevision: 'end', maxCount: 1 })) {
      const decoded = decodeNotifierEvent(e);
      if (decoded)
        return { through: BigInt(decoded.event.data.through), revision: e.revision, publishedAt: decoded.event.data.publishedAt };
    }
  } catch (error) {
    if (!(error instanceof StreamNotFound)) throw error;
  }
  return { through: null, revision: -1n, publishedAt: null };
};

const NOTIFIER_LEASE_STREAM = jobLeaseStreamId(NOTIFIER_LEASE_SUBJECT);

/**
 * The notifier's own bookkeeping (its checkpoints and its lease) is never notified and never lag: were
 * it counted, every checkpoint would be behind by itself.
 */
export const isNotifierBookkeeping = (e: Pick<RecordedEvent, 'streamId'>): boolean =>
  e.streamId === NOTIFIER_CHECKPOINT_STREAM || e.streamId === NOTIFIER_LEASE_STREAM;

/** Counting stops here: past it, the exact number matters less than what reading it would cost a scrape. */
export const NOTIFICATION_BACKLOG_COUNT_LIMIT = 100_000;

/**
 * Events recorded after the notifier's checkpoint (its own bookkeeping aside): what is waiting to be
 * mapped, published and confirmed. Read from the log, so any process reports it, publisher or not.
 */
export const notificationBacklog = async (store: EventStore): Promise<{ lagEvents: number; checkpoint: NotifierCheckpointRead }> => {
  const checkpoint = await readNotifierCheckpoint(store);
  let lagEvents = 0;
  for await (const e of store.readAll({ fromPosition: checkpoint.through ?? 'start' })) {
    if (checkpoint.through !== null && e.position <= checkpoint.through) continue;
    if (isNotifierBookkeeping(e)) continue;
    if (++lagEvents >= NOTIFICATION_BACKLOG_COUNT_LIMIT) break;
  }
  return { lagEvents, checkpoint };
};

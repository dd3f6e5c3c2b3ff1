import { assertNever, type Decider, type DomainCommand } from '../decider';
import { checkedDecider } from '../schema/checked-decider';
import type { NotifierEvent } from './notifier-checkpoint.events';

/**
 * The notifier's outbox checkpoint, kept in the log so that whichever process holds the notifier's lease
 * next, on any event store, goes on from it. Positions are decimal text: EventStoreDB's are 64-bit.
 */
export const NOTIFIER_CHECKPOINT_STREAM = 'notifier-checkpoint';

export type RecordNotificationsPublished = DomainCommand<
  'RecordNotificationsPublished',
  { through: string; notifications: number; workerId: string; now: string }
>;
export type NotifierCommand = RecordNotificationsPublished;

export interface NotifierCheckpoint {
  /** The last position whose notifications the broker confirmed; null before the first. */
  readonly through: bigint | null;
}

export const initialNotifierCheckpoint = (): NotifierCheckpoint => ({ through: null });

export const evolveNotifierCheckpoint = (state: NotifierCheckpoint, e: NotifierEvent): NotifierCheckpoint =>
  e.type === 'NotificationsPublished' ? { through: BigInt(e.data.through) } : state;

/** A checkpoint only moves forwards: a stale or repeated one records nothing. */
export const decideNotifierCheckpoint = (command: NotifierCommand, state: NotifierCheckpoint): NotifierEvent[] => {
  switch (command.type) {
    case 'RecordNotificationsPublished': {
      const { through, notifications, workerId, now } = command.data;
      if (state.through !== null && BigInt(through) <= state.through) return [];
      return [{ type: 'NotificationsPublished', data: { through, notifications, workerId, publishedAt: now } }];
    }
    default:
      return assertNever(command.type);
  }
};

export const notifierCheckpointDecider: Decider<NotifierCommand, NotifierCheckpoint, NotifierEvent> = checkedDecider({
  decide: decideNotifierCheckpoint,
  evolve: evolveNotifierCheckpoint,
  initialState: initialNotifierCheckpoint,
});

/** The lease that makes exactly one process the publisher (`job-notifier-<id>`): one notifier per log. */
export const NOTIFIER_LEASE_SUBJECT = { kind: 'notifier', id: '6e6f7469-6669-4572-8000-000000000001' } as const;

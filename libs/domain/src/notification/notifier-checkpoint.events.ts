import type { DomainEvent } from '../decider';

// The notifier checkpoint's events, apart from its decider (notifier-checkpoint.ts) as the job lease's
// are: the event schemas name them, and the decider is checked against those schemas.

/** Every notification for the log up to `through` (inclusive) was confirmed by the broker. */
export type NotificationsPublished = DomainEvent<
  'NotificationsPublished',
  { through: string; notifications: number; workerId: string; publishedAt: string }
>;
export type NotifierEvent = NotificationsPublished;
export const NOTIFIER_EVENT_TYPES: readonly NotifierEvent['type'][] = ['NotificationsPublished'];

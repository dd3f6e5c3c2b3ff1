import type { StrataOptions } from '@strata/config';
import { notificationBacklog } from '@strata/workflows';
import type { EventStore } from '@strata/event-store';

/** Whether a notification driver publishes (`messagingv2`, or `messaging`, as in Cinder). */
export const notificationsEnabled = (o: StrataOptions): boolean =>
  o.notification_driver === 'messagingv2' || o.notification_driver === 'messaging';

/**
 * What `/readyz` says of notifications: how many events wait for the broker's confirmation. A backlog
 * never makes the instance unready (requests and jobs do not depend on the broker); it is reported.
 */
export const notificationReadiness = async (store: EventStore, o: StrataOptions) => {
  const { lagEvents, checkpoint } = await notificationBacklog(store);
  return {
    driver: o.notification_driver,
    lagEvents,
    checkpointPosition: checkpoint.through === null ? null : Number(checkpoint.through),
    lastConfirmedAt: checkpoint.publishedAt,
    ...(lagEvents > 0
      ? {
          pending: `${lagEvents} event${lagEvents === 1 ? '' : 's'} not yet notified: the notifier is catching up, or the message broker is unreachable.`,
        }
      : {}),
  };
};

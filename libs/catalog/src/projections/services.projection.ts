import { SERVICE_EVENT_TYPES, type ServiceEvent } from '@strata/domain';
import type { RecordedEvent } from '@strata/event-store';
import type { Projection, ProjectionTx } from './projection';

/**
 * Cinder's `services` rows: a registration creates the row (or moves it to another zone), a disable or
 * an enable sets `disabled` and `modified_at`. An event the row has already seen changes nothing.
 */
export const servicesProjection: Projection<ServiceEvent> = {
  name: 'services',
  handles: SERVICE_EVENT_TYPES,
  apply(tx: ProjectionTx, e: ServiceEvent, recorded: RecordedEvent) {
    const key = { binary: e.data.binary, host: e.data.host, pos: recorded.position };
    switch (e.type) {
      case 'ServiceRegistered':
        tx.run(
          `INSERT INTO services (binary, host, zone, created_at, last_event_position) VALUES (@binary, @host, @zone, @at, @pos)
           ON CONFLICT (binary, host) DO UPDATE SET zone = excluded.zone, last_event_position = excluded.last_event_position
           WHERE services.last_event_position < excluded.last_event_position`,
          { ...key, zone: e.data.zone, at: e.data.registeredAt },
        );
        return;
      case 'ServiceDisabled':
        tx.run(
          `UPDATE services SET disabled = 1, disabled_reason = @reason, modified_at = @at, last_event_position = @pos
           WHERE binary = @binary AND host = @host AND last_event_position < @pos`,
          { ...key, reason: e.data.disabledReason, at: e.data.disabledAt },
        );
        return;
      case 'ServiceEnabled':
        tx.run(
          `UPDATE services SET disabled = 0, modified_at = @at, last_event_position = @pos
           WHERE binary = @binary AND host = @host AND last_event_position < @pos`,
          { ...key, at: e.data.enabledAt },
        );
        return;
    }
  },
};

import { atLeast, type Microversion } from '../context/microversion';
import type { ServiceStatus } from './service-directory';

/** Cinder prints `updated_at` as a naive UTC datetime: `2026-12-04T10:00:00.000000`. */
export const cinderDateTime = (iso: string): string => {
  const [seconds, fraction = ''] = iso.replace(/Z$/, '').split('.');
  return `${seconds}.${fraction.padEnd(6, '0').slice(0, 6)}`;
};

/**
 * One entry of `GET /os-services` as cinder/api/contrib/services.py `index` builds it, with the
 * os-extended-services keys Cinder always adds (its extension is loaded by default). `updated_at` is the
 * newer of the last heartbeat and the last disable or enable, `state` comes from the heartbeat alone.
 */
export const presentService = (s: ServiceStatus, microversion: Microversion) => {
  const updatedAt = s.modifiedAt && s.modifiedAt > s.lastSeenAt ? s.modifiedAt : s.lastSeenAt;
  const view: Record<string, unknown> = {
    binary: s.binary,
    host: s.host,
    zone: s.zone,
    status: s.disabled ? 'disabled' : 'enabled',
    state: s.up ? 'up' : 'down',
    updated_at: cinderDateTime(updatedAt),
  };
  // Strata's volume backend reports no state of its own: the scheduler's default for a pool, 'up'.
  if (atLeast(microversion, '3.49') && s.binary === 'cinder-volume') view.backend_state = 'up';
  if (atLeast(microversion, '3.7')) view.cluster = null;
  view.disabled_reason = s.disabledReason;
  if (s.binary === 'cinder-volume') {
    view.replication_status = 'not-capable';
    view.active_backend_id = null;
    view.frozen = false;
  }
  return view;
};

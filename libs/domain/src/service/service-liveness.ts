import type { ServiceBinary } from './service.events';

/** The beacon a service's process writes at every heartbeat: one per service, beside the log. */
export const serviceBeaconKey = (binary: ServiceBinary | string, host: string) => `service:${binary}@${host}`;

/**
 * Cinder's `is_up`: a service is up while its last heartbeat (its registration when it never beat) is
 * at most `serviceDownTimeSeconds` old. Clocks a little ahead count as up, as Cinder takes the absolute age.
 */
export const isServiceUp = (lastSeenAt: string, now: string, serviceDownTimeSeconds: number): boolean =>
  Math.abs(Date.parse(now) - Date.parse(lastSeenAt)) <= serviceDownTimeSeconds * 1000;

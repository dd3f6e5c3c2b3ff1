import type { DomainEvent } from '../decider';

/** Cinder's two service binaries a Strata process runs: the api serves the volumes, a worker the backups. */
export type ServiceBinary = 'cinder-volume' | 'cinder-backup';
export const SERVICE_BINARIES: readonly ServiceBinary[] = ['cinder-volume', 'cinder-backup'];

/**
 * A process started a service on a host, or started it again in another availability zone. A restart
 * in the same zone records nothing: heartbeats are not events (see docs/architecture.md, *Services*).
 */
export type ServiceRegistered = DomainEvent<
  'ServiceRegistered',
  { host: string; binary: ServiceBinary; zone: string; registeredAt: string }
>;
/** An admin took the service out of scheduling; `disabledReason` is the reason now in effect (Cinder keeps the last one). */
export type ServiceDisabled = DomainEvent<
  'ServiceDisabled',
  { host: string; binary: ServiceBinary; disabledReason: string | null; disabledAt: string }
>;
export type ServiceEnabled = DomainEvent<'ServiceEnabled', { host: string; binary: ServiceBinary; enabledAt: string }>;

export type ServiceEvent = ServiceRegistered | ServiceDisabled | ServiceEnabled;
export type ServiceEventType = ServiceEvent['type'];

export const SERVICE_EVENT_TYPES: readonly ServiceEventType[] = ['ServiceRegistered', 'ServiceDisabled', 'ServiceEnabled'];

import type { DomainCommand } from '../decider';
import type { ServiceBinary } from './service.events';

export type RegisterService = DomainCommand<'RegisterService', { host: string; binary: ServiceBinary; zone: string; now: string }>;
/**
 * `reason` undefined: a plain disable, which keeps the reason recorded before (as Cinder's `disable`);
 * null: `disable-log-reason` without one, which clears it (as Cinder's).
 */
export type DisableService = DomainCommand<'DisableService', { host: string; binary: ServiceBinary; reason?: string | null; now: string }>;
export type EnableService = DomainCommand<'EnableService', { host: string; binary: ServiceBinary; now: string }>;

export type ServiceCommand = RegisterService | DisableService | EnableService;

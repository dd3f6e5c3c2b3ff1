import type { DomainEvent } from '../decider';

/** Cinder's quota resources Strata counts, in the order Cinder lists them. */
export const QUOTA_RESOURCES = ['volumes', 'gigabytes', 'snapshots', 'backups', 'backup_gigabytes'] as const;
export type QuotaResource = (typeof QUOTA_RESOURCES)[number];
/** Some resources with a number each: amounts a claim takes, or limits set (-1: unlimited). */
export type QuotaAmounts = Partial<Record<QuotaResource, number>>;
/** Every resource's limit. */
export type QuotaLimits = Record<QuotaResource, number>;

/** What a claim is for: the backup, volume or snapshot whose creation takes it, one claim each. */
export interface QuotaSubject {
  readonly kind: 'backup' | 'volume' | 'snapshot';
  readonly id: string;
}
export const quotaClaimId = (subject: QuotaSubject) => `${subject.kind}:${subject.id}`;

/**
 * A claim on the project's quota, held as `reserved` until the subject's creation ends (then committed
 * or released). `amounts` lists the resources in Cinder's order of checking.
 */
export type QuotaReserved = DomainEvent<
  'QuotaReserved',
  { projectId: string; claimId: string; subject: QuotaSubject; amounts: QuotaAmounts; reservedAt: string }
>;
/**
 * A claim refused, recorded like an acceptance so that whoever asks again for the same claim (the api,
 * then the workflow after a crash) gets the same answer. `over` is the resource Cinder names in its
 * refusal; `limit` and `consumed` (in use plus reserved) are the numbers its message gives.
 */
export type QuotaReservationRefused = DomainEvent<
  'QuotaReservationRefused',
  {
    projectId: string;
    claimId: string;
    subject: QuotaSubject;
    amounts: QuotaAmounts;
    over: QuotaResource;
    limit: number;
    consumed: number;
    refusedAt: string;
  }
>;
/** The subject was created: its reservation is in use. */
export type QuotaCommitted = DomainEvent<'QuotaCommitted', { projectId: string; claimId: string; committedAt: string }>;
/** The subject failed, was withdrawn or deleted: its amounts count no more. */
export type QuotaReleased = DomainEvent<'QuotaReleased', { projectId: string; claimId: string; releasedAt: string }>;
/** The project's own limits for some resources (`os-quota-sets` PUT); the others keep their default. */
export type QuotaLimitsUpdated = DomainEvent<'QuotaLimitsUpdated', { projectId: string; limits: QuotaAmounts; updatedAt: string }>;
/** The project's own limits removed (`os-quota-sets` DELETE): the defaults apply again. */
export type QuotaLimitsReset = DomainEvent<'QuotaLimitsReset', { projectId: string; resetAt: string }>;
/** A quota class's limits (`os-quota-class-sets/default` PUT): the defaults over strata.conf's. */
export type QuotaClassLimitsUpdated = DomainEvent<
  'QuotaClassLimitsUpdated',
  { className: string; limits: QuotaAmounts; updatedAt: string }
>;

export type QuotaEvent =
  | QuotaReserved
  | QuotaReservationRefused
  | QuotaCommitted
  | QuotaReleased
  | QuotaLimitsUpdated
  | QuotaLimitsReset
  | QuotaClassLimitsUpdated;

export const QUOTA_EVENT_TYPES: readonly QuotaEvent['type'][] = [
  'QuotaReserved',
  'QuotaReservationRefused',
  'QuotaCommitted',
  'QuotaReleased',
  'QuotaLimitsUpdated',
  'QuotaLimitsReset',
  'QuotaClassLimitsUpdated',
];

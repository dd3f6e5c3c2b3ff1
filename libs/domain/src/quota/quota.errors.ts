import { DomainError } from '../errors';
import type { QuotaReservationRefused } from './quota.events';

/** Cinder's QuotaError family: a 413 with Cinder's own words, and nothing recorded but the refusal. */
export class QuotaExceeded extends DomainError {
  override readonly name = 'QuotaExceeded';
  readonly kind = 'over_limit';
}

/**
 * The message Cinder's `process_reserve_over_quota` raises for the first resource over its limit: a
 * size refusal for a `*gigabytes` resource, else the count refusal of the subject's kind.
 */
export const quotaRefusalMessage = ({ subject, amounts, over, limit, consumed }: QuotaReservationRefused['data']): string => {
  if (over.includes('gigabytes')) {
    const requested = amounts[over] ?? 0;
    return subject.kind === 'backup'
      ? `Requested backup exceeds allowed Backup gigabytes quota. Requested ${requested}G, quota is ${limit}G and ${consumed}G has been consumed.`
      : `Requested volume or snapshot exceeds allowed ${over} quota. Requested ${requested}G, quota is ${limit}G and ${consumed}G has been consumed.`;
  }
  switch (subject.kind) {
    case 'backup':
      return `Maximum number of backups allowed (${limit}) exceeded`;
    case 'snapshot':
      return `Maximum number of snapshots allowed (${limit}) exceeded`;
    case 'volume':
      return `Maximum number of volumes allowed (${limit}) exceeded for quota '${over}'.`;
  }
};

export const quotaExceeded = (refusal: QuotaReservationRefused['data']) => new QuotaExceeded(quotaRefusalMessage(refusal));

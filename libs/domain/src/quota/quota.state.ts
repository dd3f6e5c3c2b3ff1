import { PersistentMap } from '../persistent-map';
import { QUOTA_RESOURCES, type QuotaAmounts, type QuotaEvent, type QuotaResource, type QuotaSubject } from './quota.events';

export type QuotaClaimStatus = 'reserved' | 'committed' | 'released' | 'refused';

export interface QuotaClaim {
  readonly subject: QuotaSubject;
  readonly amounts: QuotaAmounts;
  readonly status: QuotaClaimStatus;
}

export type QuotaTotals = Record<QuotaResource, number>;

/**
 * One project's quota: its own limits, every claim ever decided, and the running totals of the live ones.
 * The claims grow with the project's history, so they are a `PersistentMap`: an event copies a bucket of
 * them, not all of them.
 */
export interface ProjectQuota {
  readonly limits: QuotaAmounts;
  readonly claims: PersistentMap<QuotaClaim>;
  readonly reserved: QuotaTotals;
  readonly inUse: QuotaTotals;
}

export const zeroTotals = (): QuotaTotals => Object.fromEntries(QUOTA_RESOURCES.map((r) => [r, 0])) as QuotaTotals;

export const initialQuotaState = (): ProjectQuota => ({
  limits: {},
  claims: PersistentMap.empty(),
  reserved: zeroTotals(),
  inUse: zeroTotals(),
});

const add = (totals: QuotaTotals, amounts: QuotaAmounts, sign: 1 | -1): QuotaTotals => {
  const next = { ...totals };
  for (const r of QUOTA_RESOURCES) next[r] += sign * (amounts[r] ?? 0);
  return next;
};

const withClaim = (state: ProjectQuota, claimId: string, claim: QuotaClaim): PersistentMap<QuotaClaim> => state.claims.set(claimId, claim);

export const evolveQuota = (state: ProjectQuota, event: QuotaEvent): ProjectQuota => {
  switch (event.type) {
    case 'QuotaReserved': {
      const { claimId, subject, amounts } = event.data;
      const claims = withClaim(state, claimId, { subject, amounts, status: 'reserved' });
      return { ...state, claims, reserved: add(state.reserved, amounts, 1) };
    }
    case 'QuotaReservationRefused': {
      const { claimId, subject, amounts } = event.data;
      return { ...state, claims: withClaim(state, claimId, { subject, amounts, status: 'refused' }) };
    }
    case 'QuotaCommitted': {
      const claim = state.claims.get(event.data.claimId);
      if (claim?.status !== 'reserved') return state;
      const claims = withClaim(state, event.data.claimId, { ...claim, status: 'committed' });
      return { ...state, claims, reserved: add(state.reserved, claim.amounts, -1), inUse: add(state.inUse, claim.amounts, 1) };
    }
    case 'QuotaReleased': {
      const claim = state.claims.get(event.data.claimId);
      if (claim?.status !== 'reserved' && claim?.status !== 'committed') return state;
      const claims = withClaim(state, event.data.claimId, { ...claim, status: 'released' });
      return claim.status === 'reserved'
        ? { ...state, claims, reserved: add(state.reserved, claim.amounts, -1) }
        : { ...state, claims, inUse: add(state.inUse, claim.amounts, -1) };
    }
    case 'QuotaLimitsUpdated':
      return { ...state, limits: { ...state.limits, ...event.data.limits } };
    case 'QuotaLimitsReset':
      return { ...state, limits: {} };
    case 'QuotaClassLimitsUpdated':
      return state;
  }
};

/** A quota class's limits (only `default` is used): what overrides strata.conf's defaults. */
export interface QuotaClass {
  readonly limits: QuotaAmounts;
}

export const initialQuotaClassState = (): QuotaClass => ({ limits: {} });

export const evolveQuotaClass = (state: QuotaClass, event: QuotaEvent): QuotaClass =>
  event.type === 'QuotaClassLimitsUpdated' ? { limits: { ...state.limits, ...event.data.limits } } : state;

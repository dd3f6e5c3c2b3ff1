import type { Decider } from '../decider';
import { InvalidInput } from '../errors';
import { checkedDecider } from '../schema/checked-decider';
import type { QuotaClassCommand, QuotaCommand } from './quota.commands';
import { QUOTA_RESOURCES, quotaClaimId, type QuotaEvent, type QuotaResource } from './quota.events';
import {
  evolveQuota,
  evolveQuotaClass,
  initialQuotaClassState,
  initialQuotaState,
  type ProjectQuota,
  type QuotaClass,
} from './quota.state';

/** The limit that applies to `resource`: the project's own, else the default the command carries. */
export const effectiveLimit = (state: ProjectQuota, defaults: Record<QuotaResource, number>, resource: QuotaResource) =>
  state.limits[resource] ?? defaults[resource];

/** In use plus reserved: what a new claim is added to, and what a new limit may not go below. */
export const consumedOf = (state: ProjectQuota, resource: QuotaResource) => state.inUse[resource] + state.reserved[resource];

/**
 * One project's quota, decided on its own stream (`quota-<project>`), so two claims can never both fit
 * into the last free unit: the second is decided on a revision that holds the first. A claim is
 * decided once (accepted or refused, both recorded); asked again, it decides nothing and the caller
 * reads the recorded answer, which makes the claim a step a workflow can repeat after a crash.
 */
export const quotaDecider: Decider<QuotaCommand, ProjectQuota, QuotaEvent> = checkedDecider({
  initialState: initialQuotaState,
  evolve: evolveQuota,
  decide(command, state): QuotaEvent[] {
    switch (command.type) {
      case 'ReserveQuota': {
        const { projectId, subject, amounts, defaults, now } = command.data;
        const claimId = command.data.claimId ?? quotaClaimId(subject);
        if (state.claims.has(claimId)) return [];
        // Cinder's check: only growth counts, -1 is unlimited, and the first resource over is the one named.
        for (const over of Object.keys(amounts) as QuotaResource[]) {
          const delta = amounts[over] ?? 0;
          const limit = effectiveLimit(state, defaults, over);
          const consumed = consumedOf(state, over);
          if (limit >= 0 && delta >= 0 && limit < delta + consumed)
            return [
              {
                type: 'QuotaReservationRefused',
                data: { projectId, claimId, subject, amounts, over, limit, consumed, refusedAt: now },
              },
            ];
        }
        return [{ type: 'QuotaReserved', data: { projectId, claimId, subject, amounts, reservedAt: now } }];
      }
      case 'CommitQuota': {
        const { projectId, claimId, now } = command.data;
        return state.claims.get(claimId)?.status === 'reserved'
          ? [{ type: 'QuotaCommitted', data: { projectId, claimId, committedAt: now } }]
          : [];
      }
      case 'ReleaseQuota': {
        const { projectId, claimId, now } = command.data;
        const status = state.claims.get(claimId)?.status;
        return status === 'reserved' || status === 'committed'
          ? [{ type: 'QuotaReleased', data: { projectId, claimId, releasedAt: now } }]
          : [];
      }
      case 'UpdateQuotaLimits': {
        const { projectId, limits, now } = command.data;
        for (const key of Object.keys(limits) as QuotaResource[]) {
          const value = limits[key] ?? -1;
          const usage = consumedOf(state, key);
          // Cinder's _validate_existing_resource: -1 always fits.
          if (value !== -1 && value < usage)
            throw new InvalidInput(
              `Quota ${key} limit must be equal or greater than existing resources. Current usage is ${usage} and the requested limit is ${value}.`,
            );
        }
        return [{ type: 'QuotaLimitsUpdated', data: { projectId, limits, updatedAt: now } }];
      }
      case 'ResetQuotaLimits': {
        const { projectId, now } = command.data;
        return Object.keys(state.limits).length > 0 ? [{ type: 'QuotaLimitsReset', data: { projectId, resetAt: now } }] : [];
      }
    }
  },
});

/** A quota class's limits, on their own stream (`quotaclass-<name>`). */
export const quotaClassDecider: Decider<QuotaClassCommand, QuotaClass, QuotaEvent> = checkedDecider({
  initialState: initialQuotaClassState,
  evolve: evolveQuotaClass,
  decide(command) {
    const { className, limits, now } = command.data;
    return [{ type: 'QuotaClassLimitsUpdated', data: { className, limits, updatedAt: now } }];
  },
});

export const isQuotaResource = (key: string): key is QuotaResource => (QUOTA_RESOURCES as readonly string[]).includes(key);

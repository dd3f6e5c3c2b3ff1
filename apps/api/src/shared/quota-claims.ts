import { Inject, Injectable } from '@nestjs/common';
import { CATALOG, type Catalog } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { quotaExceeded, type QuotaAmounts, type QuotaLimits, type QuotaSubject } from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import {
  claimQuota,
  claimImport,
  claimSnapshotCreation,
  claimVolumeCreation,
  DEFAULT_QUOTA_CLASS,
  quotaDefaultsFrom,
  type QuotaClaimOutcome,
  type StepRecorder,
} from '@strata/workflows';
import type { RequestContext } from '../context/request-context';
import { eventMetaOf } from './event-meta';

/** The api's side of quotas: the defaults in force, and a creation's claim decided in the request. */
@Injectable()
export class QuotaClaims {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
  ) {}

  /** strata.conf's `quota_*` under the `default` quota class's limits. */
  readonly defaults = (): QuotaLimits => quotaDefaultsFrom(this.options, this.catalog.quotaClassLimits(DEFAULT_QUOTA_CLASS));

  /** Records a workflow's steps as the request's own (its user, project and request id). */
  recorderFor(ctx: RequestContext): StepRecorder {
    const meta = eventMetaOf(ctx);
    return {
      record: (streamId, decider, command, idempotencyKey, options) =>
        decideAndAppend(this.store, streamId, decider, command, meta, { idempotencyKey, ...options }),
    };
  }

  /** The claim of `subject` on `projectId`'s quota, keyed by the subject: accepted, or refused and recorded as such. */
  claim(ctx: RequestContext, projectId: string, subject: QuotaSubject, amounts: QuotaAmounts, now: string): Promise<QuotaClaimOutcome> {
    return claimQuota(this.recorderFor(ctx), { projectId, subject, amounts, defaults: this.defaults(), now });
  }

  /**
   * A refusal as the client gets it: Cinder's 413, once the catalog shows what the compensation did
   * (so the withdrawn creation is not listed to the client that was refused).
   */
  async refuse(outcome: Extract<QuotaClaimOutcome, { accepted: false }>, compensatedAt: bigint): Promise<never> {
    await this.catalog.waitForPosition(compensatedAt);
    throw quotaExceeded(outcome.refusal);
  }

  /**
   * A new volume's or snapshot's claim, after its creation was recorded: accepted, the position to
   * answer at; refused (and withdrawn), Cinder's 413.
   */
  async claimCreation(
    ctx: RequestContext,
    kind: 'volume' | 'snapshot' | 'import',
    id: string,
    claim: { projectId: string; sizeGb: number; now: string },
  ): Promise<bigint> {
    const recorder = this.recorderFor(ctx);
    const request = { ...claim, defaults: this.defaults() };
    const outcome =
      kind === 'volume'
        ? await claimVolumeCreation(recorder, id, request)
        : kind === 'snapshot'
          ? await claimSnapshotCreation(recorder, id, request)
          : await claimImport(recorder, id, claim.now, request);
    if (!outcome.accepted) return this.refuse(outcome, outcome.settledAt);
    return outcome.settledAt;
  }
}

import { QUOTA_RESOURCES, type QuotaAmounts, type QuotaResource } from '@strata/domain';
import type { CatalogDatabase } from '../schema/catalog-database';
import { prepared } from './prepared';

const limitsOf = (rows: readonly { resource: string; hard_limit: number | bigint }[]): QuotaAmounts => {
  const limits: QuotaAmounts = {};
  for (const row of rows)
    if ((QUOTA_RESOURCES as readonly string[]).includes(row.resource)) limits[row.resource as QuotaResource] = Number(row.hard_limit);
  return limits;
};

/** A project's own limits (the resources it has one for). */
export const projectQuotaLimits = (db: CatalogDatabase, projectId: string): QuotaAmounts =>
  limitsOf(
    prepared(db, 'SELECT resource, hard_limit FROM quota_limits WHERE project_id = @projectId').all({ projectId }) as {
      resource: string;
      hard_limit: number;
    }[],
  );

/** A quota class's limits (only `default` is used), over strata.conf's defaults. */
export const quotaClassLimits = (db: CatalogDatabase, className: string): QuotaAmounts =>
  limitsOf(
    prepared(db, 'SELECT resource, hard_limit FROM quota_class_limits WHERE class_name = @className').all({ className }) as {
      resource: string;
      hard_limit: number;
    }[],
  );

export interface QuotaUsage {
  readonly inUse: Record<QuotaResource, number>;
  readonly reserved: Record<QuotaResource, number>;
}

/** A project's usage: the sums of its committed (in use) and reserved claims. */
export const projectQuotaUsage = (db: CatalogDatabase, projectId: string): QuotaUsage => {
  const rows = prepared(
    db,
    `SELECT status, SUM(volumes) AS volumes, SUM(gigabytes) AS gigabytes, SUM(snapshots) AS snapshots, SUM(backups) AS backups,
       SUM(backup_gigabytes) AS backup_gigabytes
     FROM quota_claims WHERE project_id = @projectId AND status IN ('reserved', 'committed') GROUP BY status`,
  ).all({ projectId }) as ({ status: string } & Record<QuotaResource, number | bigint>)[];
  const totals = (status: string) =>
    Object.fromEntries(QUOTA_RESOURCES.map((r) => [r, Number(rows.find((row) => row.status === status)?.[r] ?? 0)])) as Record<
      QuotaResource,
      number
    >;
  return { inUse: totals('committed'), reserved: totals('reserved') };
};

/** A live claim with where its subject stands in the catalog (null: no row). */
export interface QuotaClaimToSettle {
  readonly projectId: string;
  readonly claimId: string;
  readonly status: 'reserved' | 'committed';
  readonly subjectKind: 'backup' | 'volume' | 'snapshot';
  readonly subjectId: string;
  readonly subjectStatus: string | null;
}

/**
 * Live claims whose subject's state asks for a step (SQL narrows to candidates, `settlementOf` decides): a reserved claim whose subject is no longer being
 * created (commit, or release when the creation failed), a live claim whose subject is deleted or gone
 * (release). `projectId` limits it to one project.
 */
export const quotaClaimsToSettle = (db: CatalogDatabase, projectId: string | null): QuotaClaimToSettle[] =>
  (
    prepared(
      db,
      `SELECT c.project_id AS projectId, c.claim_id AS claimId, c.status, c.subject_kind AS subjectKind,
         c.subject_id AS subjectId, COALESCE(b.status, v.status, s.status) AS subjectStatus
       FROM quota_claims c
       LEFT JOIN backups b ON c.subject_kind = 'backup' AND b.id = c.subject_id
       LEFT JOIN volumes v ON c.subject_kind = 'volume' AND v.id = c.subject_id
       LEFT JOIN snapshots s ON c.subject_kind = 'snapshot' AND s.id = c.subject_id
       WHERE c.status IN ('reserved', 'committed') AND (@projectId IS NULL OR c.project_id = @projectId)
         AND (COALESCE(b.status, v.status, s.status, 'deleted') = 'deleted'
              OR (c.status = 'reserved' AND COALESCE(b.status, v.status, s.status) <> 'creating'))
       ORDER BY c.project_id, c.claim_id`,
    ).all({ projectId }) as QuotaClaimToSettle[]
  ).filter((c) => settlementOf(c) !== null);

/**
 * What a live claim's subject asks for. A backup gives its reservation back when its creation failed
 * (`error` while reserved); volumes and snapshots count in any status until deleted, as in Cinder.
 */
export const settlementOf = (c: Omit<QuotaClaimToSettle, 'projectId' | 'claimId'>): 'commit' | 'release' | null => {
  const s = c.subjectStatus;
  if (s === null || s === 'deleted') return 'release';
  if (s === 'creating') return null;
  if (c.status === 'committed') return null;
  if (c.subjectKind === 'backup' && s === 'error') return 'release';
  return 'commit';
};

/**
 * Record imports whose claim follows them (`claimsQuota`) and that hold no live claim: an import whose
 * request stopped before its claim, or before withdrawing after a refusal (a withdrawn import is
 * deleted, so not here). With the import's time, which keys its claim (both on the backup's row).
 */
export const unclaimedImports = (db: CatalogDatabase): { backupId: string; projectId: string; sizeGb: number; importedAt: string }[] =>
  (
    prepared(
      db,
      `SELECT b.id AS backupId, b.project_id AS projectId, b.size AS sizeGb, b.imported_at AS importedAt
       FROM backups b
       WHERE b.imported_from = 'record' AND b.status <> 'deleted' AND b.import_claims_quota = 1
         AND NOT EXISTS (SELECT 1 FROM quota_claims c
                         WHERE c.subject_kind = 'backup' AND c.subject_id = b.id AND c.status IN ('reserved', 'committed'))
       ORDER BY b.id`,
    ).all() as { backupId: string; projectId: string; sizeGb: number | bigint; importedAt: string }[]
  ).map((r) => ({ ...r, sizeGb: Number(r.sizeGb) }));

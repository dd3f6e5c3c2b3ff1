import { QUOTA_EVENT_TYPES, QUOTA_RESOURCES, type QuotaAmounts, type QuotaEvent } from '@strata/domain';
import { eventTime } from './event-time';
import type { Projection, ProjectionTx } from './projection';

const setLimits = (tx: ProjectionTx, table: 'quota_limits' | 'quota_class_limits', key: string, owner: string, limits: QuotaAmounts) => {
  for (const resource of QUOTA_RESOURCES) {
    const value = limits[resource];
    if (value === undefined) continue;
    tx.run(
      `INSERT INTO ${table} (${key}, resource, hard_limit) VALUES (@owner, @resource, @value)
       ON CONFLICT (${key}, resource) DO UPDATE SET hard_limit = excluded.hard_limit`,
      { owner, resource, value },
    );
  }
};

/**
 * `quota_limits`, `quota_class_limits` and `quota_claims`: what `os-quota-sets`, `os-quota-class-sets`
 * and `/limits` show, and what the worker settles. A refused claim took nothing and has no row.
 */
export const quotasProjection: Projection<QuotaEvent> = {
  name: 'quotas',
  handles: QUOTA_EVENT_TYPES,
  apply(tx: ProjectionTx, e: QuotaEvent) {
    const at = eventTime(e);
    switch (e.type) {
      case 'QuotaReserved': {
        const { projectId, claimId, subject, amounts } = e.data;
        tx.run(
          `INSERT INTO quota_claims (project_id, claim_id, subject_kind, subject_id, status, volumes, gigabytes, snapshots,
             backups, backup_gigabytes, updated_at)
           VALUES (@projectId, @claimId, @kind, @id, 'reserved', @volumes, @gigabytes, @snapshots, @backups, @backupGigabytes, @at)
           ON CONFLICT (project_id, claim_id) DO NOTHING`,
          {
            projectId,
            claimId,
            kind: subject.kind,
            id: subject.id,
            volumes: amounts.volumes ?? 0,
            gigabytes: amounts.gigabytes ?? 0,
            snapshots: amounts.snapshots ?? 0,
            backups: amounts.backups ?? 0,
            backupGigabytes: amounts.backup_gigabytes ?? 0,
            at,
          },
        );
        return;
      }
      case 'QuotaReservationRefused':
        return;
      case 'QuotaCommitted':
        tx.run(
          `UPDATE quota_claims SET status = 'committed', updated_at = @at
           WHERE project_id = @projectId AND claim_id = @claimId AND status = 'reserved'`,
          { projectId: e.data.projectId, claimId: e.data.claimId, at },
        );
        return;
      case 'QuotaReleased':
        tx.run(
          `UPDATE quota_claims SET status = 'released', updated_at = @at
           WHERE project_id = @projectId AND claim_id = @claimId AND status IN ('reserved', 'committed')`,
          { projectId: e.data.projectId, claimId: e.data.claimId, at },
        );
        return;
      case 'QuotaLimitsUpdated':
        setLimits(tx, 'quota_limits', 'project_id', e.data.projectId, e.data.limits);
        return;
      case 'QuotaLimitsReset':
        tx.run('DELETE FROM quota_limits WHERE project_id = @projectId', { projectId: e.data.projectId });
        return;
      case 'QuotaClassLimitsUpdated':
        setLimits(tx, 'quota_class_limits', 'class_name', e.data.className, e.data.limits);
        return;
    }
  },
};

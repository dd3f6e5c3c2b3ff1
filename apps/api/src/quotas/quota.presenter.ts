import type { QuotaUsage } from '@strata/catalog';
import { QUOTA_RESOURCES, type QuotaLimits } from '@strata/domain';

/** Cinder's quota set: one number per resource (with `id` where Cinder adds it). */
export const quotaSetView = (limits: QuotaLimits, id?: string) => ({
  ...Object.fromEntries(QUOTA_RESOURCES.map((r) => [r, limits[r]])),
  ...(id === undefined ? {} : { id }),
});

/** `?usage=true`: per resource, Cinder's `limit`, `in_use`, `reserved` and `allocated` (no nested projects: 0). */
export const quotaUsageView = (limits: QuotaLimits, usage: QuotaUsage, id: string) => ({
  ...Object.fromEntries(
    QUOTA_RESOURCES.map((r) => [r, { limit: limits[r], in_use: usage.inUse[r], reserved: usage.reserved[r], allocated: 0 }]),
  ),
  id,
});

/** `/limits`: Cinder's absolute limits under its key names, with the used totals its used-limits extension adds (in use). */
export const limitsView = (limits: QuotaLimits, usage: QuotaUsage | null) => ({
  limits: {
    rate: [],
    absolute: {
      maxTotalVolumes: limits.volumes,
      maxTotalSnapshots: limits.snapshots,
      maxTotalVolumeGigabytes: limits.gigabytes,
      maxTotalBackups: limits.backups,
      maxTotalBackupGigabytes: limits.backup_gigabytes,
      ...(usage
        ? {
            totalVolumesUsed: usage.inUse.volumes,
            totalGigabytesUsed: usage.inUse.gigabytes,
            totalSnapshotsUsed: usage.inUse.snapshots,
            totalBackupsUsed: usage.inUse.backups,
            totalBackupGigabytesUsed: usage.inUse.backup_gigabytes,
          }
        : {}),
    },
  },
});

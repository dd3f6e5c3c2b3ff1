/**
 * Suites that are not about quotas create more than Cinder's default 10 of a kind in one project: they run
 * without limits. The quota suites pass their own `STRATA_QUOTA_*`.
 */
export const UNLIMITED_QUOTAS: Readonly<Record<string, string>> = {
  STRATA_QUOTA_VOLUMES: '-1',
  STRATA_QUOTA_SNAPSHOTS: '-1',
  STRATA_QUOTA_GIGABYTES: '-1',
  STRATA_QUOTA_BACKUPS: '-1',
  STRATA_QUOTA_BACKUP_GIGABYTES: '-1',
};

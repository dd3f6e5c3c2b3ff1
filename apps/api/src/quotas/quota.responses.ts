/** The response bodies of the quota routes, for the OpenAPI document. */
const int = { type: 'integer' };
const usage = { type: 'object', properties: { limit: int, in_use: int, reserved: int, allocated: int } };
const RESOURCES = ['volumes', 'snapshots', 'gigabytes', 'backups', 'backup_gigabytes'];
const set = (value: unknown) => ({
  type: 'object',
  properties: { id: { type: 'string' }, ...Object.fromEntries(RESOURCES.map((r) => [r, value])) },
});

export const QUOTA_RESPONSE_SCHEMAS = {
  QuotaSet: { type: 'object', properties: { quota_set: set(int) }, required: ['quota_set'] },
  QuotaSetUsage: { type: 'object', properties: { quota_set: set(usage) }, required: ['quota_set'] },
  QuotaClassSet: { type: 'object', properties: { quota_class_set: set(int) }, required: ['quota_class_set'] },
  Limits: {
    type: 'object',
    properties: {
      limits: {
        type: 'object',
        properties: {
          rate: { type: 'array', items: { type: 'object' } },
          absolute: {
            type: 'object',
            properties: Object.fromEntries(
              [
                'maxTotalVolumes',
                'maxTotalSnapshots',
                'maxTotalVolumeGigabytes',
                'maxTotalBackups',
                'maxTotalBackupGigabytes',
                'totalVolumesUsed',
                'totalGigabytesUsed',
                'totalSnapshotsUsed',
                'totalBackupsUsed',
                'totalBackupGigabytesUsed',
              ].map((k) => [k, int]),
            ),
          },
        },
      },
    },
    required: ['limits'],
  },
};

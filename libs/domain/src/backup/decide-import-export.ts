import { BackupNotFound, InvalidBackup } from '../errors';
import type { ExportBackupRecord, ImportBackup, ImportedBackupFields } from './backup.commands';
import type { BackupImported, BackupRecordExported } from './backup.events';
import type { Backup } from './backup.state';

/** The fields Cinder's manager requires of a record before it calls the import done (manager.import_record). */
const REQUIRED: readonly [keyof ImportedBackupFields, string][] = [
  ['name', 'display_name'],
  ['description', 'display_description'],
  ['container', 'container'],
  ['sizeGb', 'size'],
  ['objectPrefix', 'service_metadata'],
  ['objectCount', 'object_count'],
];

/** Cinder's placeholder for a volume the record does not name. */
export const UNKNOWN_VOLUME_ID = '00000000-0000-0000-0000-000000000000';

/** Cinder's `_is_our_backup`: an empty service matches anything, otherwise the configured driver starts with it. */
const isOurBackup = (requested: string | null, configured: string) => !requested || configured.startsWith(requested);

/**
 * Imports a backup whose objects already exist. An id that is live anywhere is refused with Cinder's
 * message; a deleted one is revived. Nothing checks the objects here: the first restore or a verify does,
 * as in Cinder. A record for another driver, or missing a required field, still imports, as an `error`
 * backup saying why (Cinder's manager does the same after its API answered 201).
 */
export const decideImportBackup = ({ data }: ImportBackup, state: Backup): BackupImported[] => {
  if (state.status !== 'absent' && state.status !== 'deleted') throw new InvalidBackup('Backup already exists in database.');
  const f = data.fields;
  const missing = REQUIRED.filter(([key]) => f[key] === undefined).map(([, cinderName]) => cinderName);
  const createdAt = f.createdAt ?? data.now;
  const failReason = !isOurBackup(data.requestedService, data.service)
    ? `Import record failed, cannot find backup service to perform the import. Request service ${data.requestedService}.`
    : missing.length > 0
      ? `Driver successfully decoded imported backup data, but there are missing fields (${missing.join(', ')}).`
      : null;
  return [
    {
      type: 'BackupImported',
      data: {
        backupId: data.backupId,
        projectId: data.projectId,
        userId: data.userId,
        volumeId: f.volumeId ?? UNKNOWN_VOLUME_ID,
        snapshotId: f.snapshotId ?? null,
        parentId: f.parentId ?? null,
        name: f.name ?? null,
        description: f.description ?? null,
        container: f.container ?? null,
        objectPrefix: f.objectPrefix ?? null,
        service: data.service,
        availabilityZone: data.availabilityZone,
        sizeGb: f.sizeGb ?? 0,
        objectCount: f.objectCount ?? 0,
        metadata: f.metadata ?? {},
        encryptionKeyId: f.encryptionKeyId ?? null,
        createdAt,
        dataTimestamp: f.dataTimestamp ?? createdAt,
        status: failReason === null ? 'available' : 'error',
        failReason,
        source: data.source,
        importedAt: data.now,
        ...(data.claimsQuota ? { claimsQuota: true as const } : {}),
      },
    },
  ];
};

export const decideExportRecord = ({ data }: ExportBackupRecord, state: Backup): BackupRecordExported[] => {
  if (state.status === 'absent' || state.status === 'deleted') throw new BackupNotFound(data.backupId);
  if (state.status !== 'available') throw new InvalidBackup(`Backup status must be available and not ${state.status}.`);
  return [{ type: 'BackupRecordExported', data: { backupId: state.id, backupService: data.backupService, exportedAt: data.now } }];
};

import { BackupNotFound, InvalidBackup, InvalidInput } from '../errors';
import { DeciderSpecification } from '../testing/decider-specification';
import { backupCompleted, backupId, backupRequested, command, LATER, NOW, projectId, volumeId } from '../testing/backup-fixtures';
import type { ImportedBackupFields } from './backup.commands';
import type { BackupEvent, BackupImported } from './backup.events';
import { backupDecider } from './backup.decider';

const given = DeciderSpecification.for(backupDecider);
const POSIX = 'cinder.backup.drivers.posix.PosixBackupDriver';
const parentId = 'b0000000-0000-4000-8000-0000000000aa';

const recordFields: ImportedBackupFields = {
  volumeId,
  snapshotId: null,
  parentId,
  name: 'nightly',
  description: null,
  container: 'c/d',
  objectPrefix: 'volume_x_backup_y',
  sizeGb: 2,
  objectCount: 3,
  metadata: { k: 'v' },
  encryptionKeyId: 'key-1',
  createdAt: NOW,
  dataTimestamp: NOW,
};
const importBackup = (fields: ImportedBackupFields = recordFields, requestedService: string | null = POSIX) =>
  command('ImportBackup', {
    backupId,
    projectId,
    userId: 'admin-1',
    requestedService,
    service: POSIX,
    availabilityZone: 'nova',
    fields,
    source: 'record',
    now: LATER,
  });
const backupImported = (data: Partial<BackupImported['data']> = {}): BackupImported => ({
  type: 'BackupImported',
  data: {
    backupId,
    projectId,
    userId: 'admin-1',
    volumeId,
    snapshotId: null,
    parentId,
    name: 'nightly',
    description: null,
    container: 'c/d',
    objectPrefix: 'volume_x_backup_y',
    service: POSIX,
    availabilityZone: 'nova',
    sizeGb: 2,
    objectCount: 3,
    metadata: { k: 'v' },
    encryptionKeyId: 'key-1',
    createdAt: NOW,
    dataTimestamp: NOW,
    status: 'available',
    failReason: null,
    source: 'record',
    importedAt: LATER,
    ...data,
  },
});
const deleted: BackupEvent[] = [
  backupRequested(),
  backupCompleted(),
  { type: 'BackupDeletionRequested', data: { backupId, force: false, previousStatus: 'available', requestedAt: NOW } },
  { type: 'BackupDeleted', data: { backupId, deletedAt: NOW } },
];

describe('ImportBackup', () => {
  it('imports a complete record as an available backup owned by the caller, keeping its parent and encryption key', () =>
    given([]).when(importBackup()).then([backupImported()]));

  it('is available at once even when its parent is not imported yet (the chain is checked at restore)', () =>
    given([])
      .when(importBackup())
      .thenState((s) => expect(s).toMatchObject({ status: 'available', parentId })));

  it('keeps where the objects are, so a delete removes them', () =>
    given([])
      .when(importBackup())
      .thenState((s) =>
        expect(s).toMatchObject({
          storage: { container: 'c/d', objectPrefix: 'volume_x_backup_y', service: POSIX, driver: null },
        }),
      ));

  it("refuses an id that exists and is not deleted, with Cinder's message", () =>
    given([backupRequested()]).when(importBackup()).thenThrows(InvalidBackup, 'Invalid backup: Backup already exists in database.'));

  it('revives a deleted backup of the same id', () => given(deleted).when(importBackup()).then([backupImported()]));

  it("imports a record missing a field Cinder's manager requires as an error backup naming the field", () => {
    const { objectCount: _omitted, ...fields } = recordFields;
    given([])
      .when(importBackup(fields))
      .then([
        backupImported({
          objectCount: 0,
          status: 'error',
          failReason: 'Driver successfully decoded imported backup data, but there are missing fields (object_count).',
        }),
      ]);
  });

  it('imports a record for another driver as an error backup, as Cinder does when no host takes it', () =>
    given([])
      .when(importBackup(recordFields, 'cinder.backup.drivers.swift'))
      .then([
        backupImported({
          status: 'error',
          failReason:
            'Import record failed, cannot find backup service to perform the import. Request service cinder.backup.drivers.swift.',
        }),
      ]));

  it("accepts an empty service, which matches any driver (Cinder's _is_our_backup)", () =>
    given([]).when(importBackup(recordFields, '')).then([backupImported()]));

  it("uses Cinder's zero volume id when the record names no volume, and the import time when it has none", () => {
    const { volumeId: _v, createdAt: _c, dataTimestamp: _d, ...fields } = recordFields;
    given([])
      .when(importBackup(fields))
      .then([
        backupImported({
          volumeId: '00000000-0000-0000-0000-000000000000',
          createdAt: LATER,
          dataTimestamp: LATER,
        }),
      ]);
  });
});

describe('ImportBackup of a hostile record', () => {
  it('refuses a size no volume can have, rather than record what the catalog cannot store', () =>
    given([])
      .when(importBackup({ ...recordFields, sizeGb: 2 ** 53 }))
      .thenThrows(InvalidInput, `Invalid input received: BackupImported data.sizeGb must be at most 2147483647, not ${2 ** 53}.`));
  it('refuses a container that leaves the repository root', () =>
    given([])
      .when(importBackup({ ...recordFields, container: '/etc' }))
      .thenThrows(
        InvalidInput,
        'Invalid input received: BackupImported data.container is not a usable container: it must be a path relative to the repository root.',
      ));
});

describe('ExportBackupRecord', () => {
  const exportRecord = command('ExportBackupRecord', { backupId, backupService: POSIX, now: LATER });

  it('records who exported an available backup', () =>
    given([backupRequested(), backupCompleted()])
      .when(exportRecord)
      .then([{ type: 'BackupRecordExported', data: { backupId, backupService: POSIX, exportedAt: LATER } }]));

  it('exports an imported backup', () =>
    given([backupImported()])
      .when(exportRecord)
      .then([{ type: 'BackupRecordExported', data: { backupId, backupService: POSIX, exportedAt: LATER } }]));

  it("refuses a backup that is not available, with Cinder's message", () =>
    given([backupRequested()])
      .when(exportRecord)
      .thenThrows(InvalidBackup, 'Invalid backup: Backup status must be available and not creating.'));

  it('says not found for a deleted backup', () => given(deleted).when(exportRecord).thenThrows(BackupNotFound));
});

describe('WithdrawImport (its quota claim was refused)', () => {
  it('records the imported backup deleted, its objects untouched (no deletion job), once', () => {
    given([backupImported()])
      .when(command('WithdrawImport', { backupId, now: LATER }))
      .then([{ type: 'BackupDeleted', data: { backupId, deletedAt: LATER } }]);
    given([backupImported(), { type: 'BackupDeleted', data: { backupId, deletedAt: LATER } }])
      .when(command('WithdrawImport', { backupId, now: LATER }))
      .then([]);
  });

  it('records that a quota claim follows an import when the api says so', () =>
    given([])
      .when({ ...importBackup(), data: { ...importBackup().data, claimsQuota: true } })
      .thenState((s) => expect(s.status).toBe('available')));
});

import {
  at,
  availableBackup,
  backupDeleted,
  backupIdOf,
  backupImported,
  event,
  GIB,
  openTestCatalog,
  ownScope,
  VOLUME,
  type TestCatalog,
} from '../testing/catalog-fixtures';

const full = backupIdOf(1);
const child = backupIdOf(2);
let t: TestCatalog;
beforeEach(() => {
  t = openTestCatalog();
});
afterEach(() => t.close());

describe('backups projection: BackupImported', () => {
  it('lists an imported backup with every field of its record, available at once', async () => {
    await t.given([backupImported()]);
    expect(t.catalog.getBackup(full, ownScope)).toMatchObject({
      id: full,
      status: 'available',
      size: 2,
      objectCount: 3,
      availabilityZone: 'nova',
      container: 'c/d',
      createdAt: at(5),
      updatedAt: at(20),
      name: 'imported',
      description: 'from cinder',
      failReason: null,
      volumeId: VOLUME,
      dataTimestamp: at(5),
      parentId: null,
      metadata: { k: 'v' },
      userId: 'admin-1',
      encryptionKeyId: 'key-1',
      service: 'cinder.backup.drivers.posix.PosixBackupDriver',
      serviceMetadata: 'volume_x_backup_y',
      sizeBytes: 2 * GIB,
      bytesDone: 2 * GIB,
      importedFrom: 'record',
    });
  });

  it('keeps an incomplete record in error with the reason', async () => {
    await t.given([backupImported({ status: 'error', failReason: 'missing fields (object_count).' })]);
    expect(t.catalog.getBackup(full, ownScope)).toMatchObject({ status: 'error', failReason: 'missing fields (object_count).' });
  });

  it('revives a deleted row of the same id, forgetting its old verification', async () => {
    await t.given([
      ...availableBackup({ backupId: full }),
      event('BackupVerificationRequested', { backupId: full, verificationId: 'v1', requestedAt: at(14) }),
      event('BackupVerified', { backupId: full, verificationId: 'v1', chain: [full], objects: 2, blocks: 9, verifiedAt: at(15) }),
      ...backupDeleted(full, 16),
      backupImported({ importedAt: at(40), source: 'repository' }),
    ]);
    expect(t.catalog.getBackup(full, ownScope)).toMatchObject({
      status: 'available',
      deletedAt: null,
      name: 'imported',
      lastVerification: null,
      lastVerifiedAt: null,
      importedFrom: 'repository',
    });
  });
});

describe('backup children: imported chains', () => {
  it('gives the parent its dependent even when the child was imported first', async () => {
    await t.given([backupImported({ backupId: child, parentId: full }), backupImported({ backupId: full })]);
    expect(t.catalog.getBackup(full, ownScope)?.hasDependentBackups).toBe(true);
    expect(t.catalog.getBackup(child, ownScope)).toMatchObject({ hasDependentBackups: false, parentId: full });
    expect(t.catalog.liveChildCount(full)).toBe(1);
    expect(t.catalog.dependentBackupCount(full)).toBe(1);
  });

  it('guards the parent with an imported child in error, but does not show it as dependent', async () => {
    await t.given([
      backupImported({ backupId: full }),
      backupImported({ backupId: child, parentId: full, status: 'error', failReason: 'x' }),
    ]);
    expect(t.catalog.getBackup(full, ownScope)?.hasDependentBackups).toBe(false);
    expect(t.catalog.liveChildCount(full)).toBe(1);
  });

  it('resolves the chain base first once both are imported, and says which ancestor is missing before', async () => {
    await t.given([backupImported({ backupId: child, parentId: full })]);
    expect(t.catalog.backupChain(child).map((b) => b.id)).toEqual([child]);
    await t.given([backupImported({ backupId: full, importedAt: at(21) })]);
    expect(t.catalog.backupChain(child).map((b) => b.id)).toEqual([full, child]);
  });

  it('ends the chain at a cycle of imported records, which then lacks its full backup', async () => {
    await t.given([backupImported({ backupId: child, parentId: full }), backupImported({ backupId: full, parentId: child })]);
    const chain = t.catalog.backupChain(child);
    expect(chain.map((b) => b.id)).toEqual([full, child]);
    expect(chain[0].parentId).toBe(child);
  });

  it('drops the dependent when the imported child is deleted', async () => {
    await t.given([backupImported({ backupId: full }), backupImported({ backupId: child, parentId: full }), ...backupDeleted(child, 50)]);
    expect(t.catalog.getBackup(full, ownScope)?.hasDependentBackups).toBe(false);
  });
});

describe('backups projection: verification', () => {
  const requested = (verificationId: string, minute: number) =>
    event('BackupVerificationRequested', { backupId: full, verificationId, requestedAt: at(minute) });

  it('shows a running verification without touching updated_at', async () => {
    await t.given([...availableBackup({ backupId: full }), requested('v1', 20)]);
    expect(t.catalog.getBackup(full, ownScope)).toMatchObject({
      lastVerification: { verification_id: 'v1', result: 'running', requested_at: at(20) },
      lastVerifiedAt: null,
      updatedAt: at(13),
    });
    expect(t.catalog.runningVerifications()).toEqual([{ backupId: full, verificationId: 'v1' }]);
  });

  it('records a passed verification with its counts and when it finished', async () => {
    await t.given([
      ...availableBackup({ backupId: full }),
      requested('v1', 20),
      event('BackupVerified', { backupId: full, verificationId: 'v1', chain: [full], objects: 2, blocks: 32768, verifiedAt: at(25) }),
    ]);
    expect(t.catalog.getBackup(full, ownScope)).toMatchObject({
      lastVerification: { verification_id: 'v1', result: 'passed', finished_at: at(25), chain: [full], objects: 2, blocks: 32768 },
      lastVerifiedAt: at(25),
    });
    expect(t.catalog.runningVerifications()).toEqual([]);
  });

  it('records a failed verification naming the bad object, and keeps it until the next verification', async () => {
    await t.given([
      ...availableBackup({ backupId: full }),
      requested('v1', 20),
      event('BackupVerificationFailed', {
        backupId: full,
        verificationId: 'v1',
        reason: 'md5',
        object: 'o-00002',
        blockIndex: null,
        failedAt: at(22),
      }),
      requested('v2', 30),
    ]);
    expect(t.catalog.getBackup(full, ownScope)).toMatchObject({
      lastVerification: { verification_id: 'v2', result: 'running' },
      lastVerifiedAt: at(22),
    });
  });

  it('ignores an outcome for a verification that a newer request replaced', async () => {
    await t.given([
      ...availableBackup({ backupId: full }),
      requested('v1', 20),
      requested('v2', 21),
      event('BackupVerified', { backupId: full, verificationId: 'v1', chain: [full], objects: 2, blocks: 9, verifiedAt: at(25) }),
    ]);
    expect(t.catalog.getBackup(full, ownScope)?.lastVerification).toMatchObject({ verification_id: 'v2', result: 'running' });
  });
});

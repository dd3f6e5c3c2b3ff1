import type { PastBackupRow } from '@strata/catalog';
import { backupsAsOf } from '@strata/catalog/queries/backups-as-of.query';
import {
  allScope,
  at,
  availableBackup,
  backupCompleted,
  backupDeleted,
  backupIdOf,
  backupImported,
  backupRequested,
  backupStarted,
  event,
  OTHER_PROJECT,
  openTestCatalog,
  volumeCreated,
  type TestCatalog,
} from '@strata/catalog/testing/catalog-fixtures';
import type { RequestContext } from '../context/request-context';
import { testContext as contextOf } from '../testing/request-context.fixture';
import { backupDetailSelect } from './backup-detail.sql';
import { backupDetail, NULL_KEY } from './backup.presenter';

/** Every gate of the detail view on and off: microversions, admin or not, the project in the URL, Strata's attributes. */
const CONTEXTS: [string, RequestContext][] = [
  ['3.0, a member', contextOf('3.0', { isAdmin: false, roles: ['member'] })],
  ['3.17, admin', contextOf('3.17')],
  ['3.18, admin', contextOf('3.18')],
  ['3.43, a member, project in the URL', contextOf('3.43', { isAdmin: false, roles: ['member'], urlProjectId: 'project-1' })],
  ['3.56, admin', contextOf('3.56')],
  ['3.64, a member', contextOf('3.64', { isAdmin: false, roles: ['member'] })],
  [
    '3.70, admin, with verification, a host that needs escaping',
    contextOf('3.70', {
      strataAttributes: new Set(['verification']),
      baseUrl: 'http://[::1]:8776/a"b\\c',
      urlProjectId: 'p"1',
    }),
  ],
];

/** Text that JSON must escape, or that is not ASCII. */
const AWKWARD = 'quote " backslash \\ slash / tab \t newline \n nul \u0000 bell \u0007 del \u007f é 漢字 😀 \u2028';

let t: TestCatalog;
beforeAll(async () => {
  t = openTestCatalog();
  const plain = backupIdOf(1);
  const incremental = backupIdOf(2);
  const encrypted = backupIdOf(3);
  const nullKey = backupIdOf(4);
  const verified = backupIdOf(5);
  const imported = backupIdOf(6);
  await t.given([
    volumeCreated(),
    ...availableBackup({ backupId: plain, name: null, createdAt: '2026-11-27T10:10:00Z' }),
    backupRequested({
      backupId: incremental,
      parentId: plain,
      incremental: true,
      name: AWKWARD,
      description: AWKWARD,
      metadata: { k: AWKWARD, '10': 'numeric key', a: '' },
      createdAt: '2026-11-27T10:20:00.1Z',
      dataTimestamp: '2026-11-27T10:19:59.123456789Z',
    }),
    backupStarted(incremental, 21),
    backupCompleted(incremental, 22),
    backupRequested({ backupId: encrypted, encryptionKeyId: 'key-1', createdAt: '2026-11-27T10:23:00.12345Z' }),
    { type: 'BackupFailed', data: { backupId: encrypted, reason: AWKWARD, failedAt: '2026-11-27T10:24:00.5Z' } },
    backupRequested({ backupId: nullKey, encryptionKeyId: NULL_KEY, projectId: OTHER_PROJECT, createdAt: at(25) }),
    ...availableBackup({ backupId: verified, createdAt: at(26) }).map((e) =>
      e.type === 'BackupCompleted' ? { ...e, data: { ...e.data, completedAt: at(27) } } : e,
    ),
    event('BackupVerificationRequested', { backupId: verified, verificationId: 'v1', requestedAt: at(28) }),
    event('BackupVerified', { backupId: verified, verificationId: 'v1', chain: [verified], objects: 2, blocks: 9, verifiedAt: at(29) }),
    backupImported({ backupId: imported, createdAt: '2025-01-01T00:00:00Z', importedAt: at(30), description: null }),
    ...backupDeleted(encrypted, 40),
  ]);
});
afterAll(() => t.close());

const rowsAt = async (time: Date) => {
  const rows: PastBackupRow[] = [];
  for await (const row of backupsAsOf(() => t.catalog.db, time, allScope)) rows.push(row);
  return rows;
};
const textsAt = async (time: Date, ctx: RequestContext) => {
  const texts: string[] = [];
  for await (const window of t.catalog.backupsAsOfSelected(time, allScope, backupDetailSelect(ctx))) texts.push(...window);
  return texts;
};

/** Times in the versions that ended and in the current rows: before, during and after each backup's events. */
const TIMES = [10, 12, 20.5, 22, 24.5, 26.5, 28.5, 35, 60].map((minute) => new Date(Date.parse(at(0)) + minute * 60_000));

describe('the detail view written by SQLite', () => {
  it.each(CONTEXTS)('is the presenter’s JSON text, key for key and byte for byte (%s)', async (_, ctx) => {
    for (const time of TIMES) {
      const expected = (await rowsAt(time)).map((row) => JSON.stringify(backupDetail(ctx, row)));

      expect([time.toISOString(), await textsAt(time, ctx)]).toEqual([time.toISOString(), expected]);
    }
  });

  it('covers what the gates show: a dependent chain, every optional key, Strata’s attributes', async () => {
    const [, ctx] = CONTEXTS[CONTEXTS.length - 1]!;
    const views = (await textsAt(TIMES[TIMES.length - 1]!, ctx)).map((text) => JSON.parse(text) as Record<string, unknown>);

    expect(views.map((v) => [v.id, v.has_dependent_backups, v.is_incremental, 'encryption_key_id' in v])).toEqual([
      [backupIdOf(6), false, false, true],
      [backupIdOf(1), true, false, false],
      [backupIdOf(2), false, true, false],
      [backupIdOf(4), false, false, false],
      [backupIdOf(5), false, false, false],
    ]);
    expect(views[2]).toMatchObject({ name: AWKWARD, data_timestamp: '2026-11-27T10:19:59.123456', metadata: { k: AWKWARD } });
    expect(views[4]).toMatchObject({
      'strata:last_verification': { result: 'passed' },
      'strata:last_verified_at': '2026-11-27T10:29:00.000000',
    });
  });
});

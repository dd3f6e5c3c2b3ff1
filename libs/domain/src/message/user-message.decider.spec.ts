import { DeciderSpecification } from '../testing/decider-specification';
import { failureMessageOf } from './failure-message';
import { messageEventId, userMessageText } from './message-fields';
import { MessageNotFound, userMessageDecider } from './user-message.decider';

const MESSAGE = 'e0000000-0000-4000-8000-000000000001';
const spec = DeciderSpecification.for(userMessageDecider);
const at = '2026-12-04T10:00:00.000Z';

describe('user message decider', () => {
  it('records the deletion of a message', () =>
    spec([])
      .when({ type: 'DeleteUserMessage', data: { messageId: MESSAGE, now: at } })
      .then([{ type: 'UserMessageDeleted', data: { messageId: MESSAGE, deletedAt: at } }]));

  it("answers a second deletion with Cinder's MessageNotFound", () =>
    spec([{ type: 'UserMessageDeleted', data: { messageId: MESSAGE, deletedAt: at } }])
      .when({ type: 'DeleteUserMessage', data: { messageId: MESSAGE, now: at } })
      .thenThrows(MessageNotFound, `Message ${MESSAGE} could not be found.`));

  it('refuses an id the schema does not admit', () =>
    spec([])
      .when({ type: 'DeleteUserMessage', data: { messageId: 'NOT-AN-ID', now: at } })
      .thenThrows(Error));
});

describe("Cinder's message fields", () => {
  it('builds event ids and texts as cinder/message/api.py and the messages controller do', () => {
    expect(messageEventId('VOLUME_BACKUP', '015', '026')).toBe('VOLUME_VOLUME_BACKUP_015_026');
    expect(userMessageText('015', '026')).toBe('restore backup:Backup driver failed to restore backup.');
    expect(userMessageText('999', '999')).toBe('unknown action:An unknown error occurred.');
  });

  it('maps each failure a user is told about to the message Cinder creates for it', () => {
    const of = (type: string, data: Record<string, string>) => {
      const m = failureMessageOf({ type, data } as never);
      return m && `${messageEventId(m.resourceType, m.action.id, m.detail.id)} ${m.resourceUuid}`;
    };
    const failed = { reason: 'r', failedAt: at };
    expect(of('BackupFailed', { backupId: 'b', ...failed })).toBe('VOLUME_VOLUME_BACKUP_013_020 b');
    expect(of('RestoreFailed', { backupId: 'b', volumeId: 'v', ...failed })).toBe('VOLUME_VOLUME_BACKUP_015_026 b');
    expect(of('BackupDeletionFailed', { backupId: 'b', ...failed })).toBe('VOLUME_VOLUME_BACKUP_014_025 b');
    expect(of('VolumeProvisioningFailed', { volumeId: 'v', ...failed })).toBe('VOLUME_VOLUME_008_012 v');
    expect(of('VolumeExtendFailed', { volumeId: 'v', ...failed })).toBe('VOLUME_VOLUME_007_010 v');
    expect(of('SnapshotProvisioningFailed', { snapshotId: 's', ...failed })).toBe('VOLUME_VOLUME_SNAPSHOT_009_013 s');
    expect(of('SnapshotDeletionFailed', { snapshotId: 's', ...failed })).toBe('VOLUME_VOLUME_SNAPSHOT_010_016 s');
    expect(of('BackupCompleted', { backupId: 'b' })).toBeNull();
  });
});

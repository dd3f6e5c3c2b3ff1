import { FAILURE_EVENT_TYPES, failureMessageOf, messageEventId, type StrataEvent, type UserMessageDeleted } from '@strata/domain';
import type { RecordedEvent } from '@strata/event-store';
import { metaOf } from '@strata/domain';
import type { Projection, ProjectionTx } from './projection';

type MessageSource = Extract<StrataEvent, { type: (typeof FAILURE_EVENT_TYPES)[number] }> | UserMessageDeleted;

/**
 * Cinder's user messages, one per failure a user is told about (`failureMessageOf`). The message's id is
 * the failure event's id (lower-case): the same after any rebuild, and an admin finds the full reason
 * under that id in the audit log. Its project is the failed resource's; a message of a resource this
 * catalog does not hold is not shown. Deletion is the one fact of its own (`UserMessageDeleted`).
 * Expiry (`message_ttl`) is a read-time condition, so nothing here depends on a clock.
 */
export const messagesProjection: Projection<MessageSource> = messagesReadingBackupsFrom('backups');

/**
 * The user messages, with a backup's project read from `backups` (a table with the `backups` rows' `id` and
 * `project_id`, as they stand when the event is applied): the catalog's `backups`, or, in a build in
 * parts, a table of the part's own that follows those columns (`build-parts.ts`).
 */
export function messagesReadingBackupsFrom(backups: string): Projection<MessageSource> {
  const ownerTable = { VOLUME_BACKUP: backups, VOLUME: 'volumes', VOLUME_SNAPSHOT: 'snapshots' } as const;
  return {
    name: 'messages',
    handles: [...FAILURE_EVENT_TYPES, 'UserMessageDeleted'],
    apply(tx: ProjectionTx, e: MessageSource, recorded: RecordedEvent) {
      if (e.type === 'UserMessageDeleted') {
        tx.run(`UPDATE messages SET deleted_at = @at, last_event_position = @pos WHERE id = @id AND deleted_at IS NULL`, {
          id: e.data.messageId,
          at: e.data.deletedAt,
          pos: recorded.position,
        });
        return;
      }
      const message = failureMessageOf(e);
      if (!message) return;
      const owner = tx.get<{ project_id: string }>(`SELECT project_id FROM ${ownerTable[message.resourceType]} WHERE id = @id`, {
        id: message.resourceUuid,
      });
      if (!owner) return;
      tx.run(
        `INSERT OR IGNORE INTO messages (id, project_id, request_id, resource_type, resource_uuid, event_id, action_id, detail_id,
         message_level, created_at, deleted_at, last_event_position)
       VALUES (@id, @projectId, @requestId, @resourceType, @resourceUuid, @eventId, @actionId, @detailId, 'ERROR', @at, NULL, @pos)`,
        {
          id: recorded.id.toLowerCase(),
          projectId: owner.project_id,
          requestId: metaOf(recorded).requestId,
          resourceType: message.resourceType,
          resourceUuid: message.resourceUuid,
          eventId: messageEventId(message.resourceType, message.action.id, message.detail.id),
          actionId: message.action.id,
          detailId: message.detail.id,
          at: message.at,
          pos: recorded.position,
        },
      );
    },
  };
}

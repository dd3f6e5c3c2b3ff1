export interface MessageRow {
  readonly id: string;
  readonly projectId: string;
  readonly requestId: string;
  readonly resourceType: string;
  readonly resourceUuid: string;
  /** Cinder's `event_id`, e.g. `VOLUME_VOLUME_BACKUP_015_026`. */
  readonly eventId: string;
  readonly actionId: string;
  readonly detailId: string;
  readonly messageLevel: string;
  readonly createdAt: string;
}

export const MESSAGE_SELECT = 'SELECT m.* FROM messages m';

export const toMessageRow = (r: Record<string, unknown>): MessageRow => ({
  id: r.id as string,
  projectId: r.project_id as string,
  requestId: r.request_id as string,
  resourceType: r.resource_type as string,
  resourceUuid: r.resource_uuid as string,
  eventId: r.event_id as string,
  actionId: r.action_id as string,
  detailId: r.detail_id as string,
  messageLevel: r.message_level as string,
  createdAt: r.created_at as string,
});

/**
 * A message is shown until `message_ttl` seconds after it was created (Cinder's `expires_at`; Cinder's
 * scheduler reaps it some time after that). The cut-off is computed from the reader's clock, so no timer
 * and no event: a longer `message_ttl` brings older messages back, as Cinder's reaper would not have run.
 */
export interface MessageVisibility {
  /** ISO time: messages created before it have expired. */
  readonly createdSince: string;
}

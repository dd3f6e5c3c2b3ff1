import type { BackupRow, PastBackupRow } from '@strata/catalog';
import { atLeast } from '../context/microversion';
import type { RequestContext } from '../context/request-context';
import { cinderTime, linksOf } from '../shared/cinder-view';

/** The key id Cinder records for "no key": shown as no key at all. */
export const NULL_KEY = '00000000-0000-0000-0000-000000000000';

export const backupSummary = (ctx: RequestContext, b: Pick<BackupRow, 'id' | 'name'>) => ({
  id: b.id,
  name: b.name,
  links: linksOf(ctx, 'backups', b.id),
});

/**
 * Cinder's detail view (cinder/api/views/backups.py + v3 and its project and user attributes), gated by
 * microversion and policy; of a live row or of one as it stood at a past time (`as_of`).
 */
export const backupDetail = (ctx: RequestContext, b: PastBackupRow) => {
  const v = ctx.microversion;
  const view: Record<string, unknown> = {
    id: b.id,
    status: b.status,
    size: b.size,
    object_count: b.objectCount,
    availability_zone: b.availabilityZone,
    container: b.container,
    created_at: cinderTime(b.createdAt),
    updated_at: cinderTime(b.updatedAt),
    name: b.name,
    description: b.description,
    fail_reason: b.failReason,
    volume_id: b.volumeId,
    links: linksOf(ctx, 'backups', b.id),
    is_incremental: b.parentId !== null,
    has_dependent_backups: b.hasDependentBackups,
    snapshot_id: b.snapshotId,
    data_timestamp: cinderTime(b.dataTimestamp),
  };
  if (atLeast(v, '3.18') && ctx.isAdmin) view['os-backup-project-attr:project_id'] = b.projectId;
  if (atLeast(v, '3.43')) view.metadata = b.metadata;
  if (atLeast(v, '3.56') && ctx.isAdmin) view.user_id = b.userId;
  if (atLeast(v, '3.64') && b.encryptionKeyId && b.encryptionKeyId !== NULL_KEY) view.encryption_key_id = b.encryptionKeyId;
  // Strata's own facts only when asked for (`X-Strata-Attributes: verification`): a strict Cinder client
  // reads exactly Cinder's keys; /strata/v1/backups/{id}/progress always has them.
  if (ctx.strataAttributes.has('verification')) {
    view['strata:last_verified_at'] = cinderTime(b.lastVerifiedAt);
    view['strata:last_verification'] = b.lastVerification;
  }
  return view;
};

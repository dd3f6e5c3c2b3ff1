import type { SnapshotRow } from '@strata/catalog';
import { atLeast } from '../context/microversion';
import type { RequestContext } from '../context/request-context';
import { cinderTime } from '../shared/cinder-view';

/** Cinder's snapshot view (cinder/api/views/snapshots.py + v3): no links, which `cinder snapshot-show` would print. */
export const snapshotDetail = (ctx: RequestContext, s: SnapshotRow) => {
  const view: Record<string, unknown> = {
    id: s.id,
    name: s.name,
    description: s.description,
    volume_id: s.volumeId,
    status: s.status,
    size: s.size,
    metadata: s.metadata,
    created_at: cinderTime(s.createdAt),
    updated_at: cinderTime(s.updatedAt),
  };
  if (ctx.isAdmin) {
    view['os-extended-snapshot-attributes:project_id'] = s.projectId;
    view['os-extended-snapshot-attributes:progress'] = s.status === 'available' ? '100%' : '0%';
  }
  if (atLeast(ctx.microversion, '3.41')) view.user_id = s.userId;
  return view;
};

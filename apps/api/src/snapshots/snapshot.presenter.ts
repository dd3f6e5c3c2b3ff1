import type { SnapshotRow } from '@strata/catalog';
import { atLeast } from '../context/microversion';
import type { RequestContext } from '../context/request-context';
import { cinderTime, linksOf } from '../shared/cinder-view';

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
    links: linksOf(ctx, 'snapshots', s.id),
  };
  if (ctx.isAdmin) {
    view['os-extended-snapshot-attributes:project_id'] = s.projectId;
    view['os-extended-snapshot-attributes:progress'] = s.status === 'available' ? '100%' : '0%';
  }
  if (atLeast(ctx.microversion, '3.41')) view.user_id = s.userId;
  return view;
};

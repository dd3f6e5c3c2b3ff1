import type { SnapshotRow } from '@strata/catalog';
import { atLeast } from '../context/microversion';
import type { RequestContext } from '../context/request-context';
import { cinderTime } from '../shared/cinder-view';

/** Cinder's snapshot summary (api/views/snapshots.py): what the plain list shows. No links. */
export const snapshotSummary = (s: SnapshotRow) => ({
  id: s.id,
  created_at: cinderTime(s.createdAt),
  updated_at: cinderTime(s.updatedAt),
  name: s.name,
  description: s.description,
  volume_id: s.volumeId,
  status: s.status,
  size: s.size,
  metadata: s.metadata,
});

/**
 * Cinder's snapshot detail (api/v3/views/snapshots.py) for the request's microversion. `show`: a snapshot
 * shown or listed in detail, which the extended-snapshot-attributes extension adds its two keys to for
 * every reader; `answer`: the create answer, the view builder's detail alone.
 */
export const snapshotDetail = (ctx: RequestContext, s: SnapshotRow, kind: 'show' | 'answer' = 'show') => {
  // The summary is a fresh object: extended in place. Copying it with a spread first cost about 5 µs a
  // snapshot on Node 20 (against 0.1 µs), 5 ms of every 1,000-row page (2026-12-06).
  const view: Record<string, unknown> = snapshotSummary(s);
  if (atLeast(ctx.microversion, '3.14')) view.group_snapshot_id = null;
  if (atLeast(ctx.microversion, '3.41')) view.user_id = s.userId;
  if (atLeast(ctx.microversion, '3.65')) view.consumes_quota = true;
  if (kind === 'show') {
    view['os-extended-snapshot-attributes:project_id'] = s.projectId;
    view['os-extended-snapshot-attributes:progress'] = s.status === 'available' ? '100%' : '0%';
  }
  return view;
};

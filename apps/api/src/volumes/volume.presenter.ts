import type { VolumeRow } from '@strata/catalog';
import { atLeast } from '../context/microversion';
import type { RequestContext } from '../context/request-context';
import { cinderTime, linksOf } from '../shared/cinder-view';
import { visibleMetadataOf } from './visible-metadata';

/** Cinder's `host@backend#pool` of every Strata volume: one process, one back end, one pool. */
export const STRATA_VOLUME_HOST = 'strata@file#file';

/** Cinder's FIXED_KEY_ID: a placeholder key id its views never show. */
const FIXED_KEY_ID = '00000000-0000-0000-0000-000000000000';

export const volumeSummary = (ctx: RequestContext, v: Pick<VolumeRow, 'id' | 'name'>) => ({
  id: v.id,
  name: v.name,
  links: linksOf(ctx, 'volumes', v.id),
});

/**
 * `show`: a volume shown or listed in detail, which Cinder's contrib extensions add their attributes to
 * (tenant for every reader; host and migration for admins). `answer`: the create and update answers,
 * the view builder's detail alone.
 */
export type VolumeViewKind = 'show' | 'answer';

/** The attachment as Cinder lists it; the host is an admin's to see. */
const attachmentsOf = (ctx: RequestContext, v: VolumeRow) =>
  v.attachedInstance || v.attachedHost
    ? [
        {
          id: v.id,
          attachment_id: v.id,
          volume_id: v.id,
          server_id: v.attachedInstance,
          host_name: ctx.isAdmin ? v.attachedHost : null,
          device: v.attachedMountpoint,
          attached_at: cinderTime(v.attachedAt),
        },
      ]
    : [];

/**
 * Cinder's volume detail view, key for key (api/v2/views/volumes.py, api/v3/views/volumes.py and the
 * volume_*_attribute extensions), for the request's microversion and role: no key Cinder does not send.
 */
export const volumeDetail = (ctx: RequestContext, v: VolumeRow, kind: VolumeViewKind = 'show') => {
  const at = (version: string) => atLeast(ctx.microversion, version);
  const view: Record<string, unknown> = {
    id: v.id,
    status: v.status,
    size: v.size,
    availability_zone: v.availabilityZone,
    created_at: cinderTime(v.createdAt),
    updated_at: cinderTime(v.updatedAt),
    name: v.name,
    description: v.description,
    volume_type: v.volumeType,
    snapshot_id: v.sourceKind === 'snapshot' ? v.sourceId : null,
    source_volid: v.sourceKind === 'volume' ? v.sourceId : null,
    metadata: visibleMetadataOf(v),
    links: linksOf(ctx, 'volumes', v.id),
    user_id: v.userId,
    bootable: String(v.bootable),
    encrypted: v.encryptionKeyId !== null,
    replication_status: 'disabled',
    consistencygroup_id: null,
    multiattach: false,
    attachments: attachmentsOf(ctx, v),
  };
  if (ctx.isAdmin) view.migration_status = null;
  if (at('3.13')) view.group_id = null;
  if (at('3.21') && ctx.isAdmin) view.provider_id = null;
  if (at('3.48')) {
    // A file volume is no shared iSCSI target.
    view.shared_targets = false;
    view.service_uuid = null;
  }
  if (at('3.61') && ctx.isAdmin) view.cluster_name = null;
  if (at('3.63')) view.volume_type_id = v.volumeTypeId;
  if (at('3.64') && v.encryptionKeyId && v.encryptionKeyId !== FIXED_KEY_ID) view.encryption_key_id = v.encryptionKeyId;
  if (at('3.65')) view.consumes_quota = true;
  if (kind === 'show') {
    view['os-vol-tenant-attr:tenant_id'] = v.projectId;
    if (ctx.isAdmin) {
      view['os-vol-host-attr:host'] = STRATA_VOLUME_HOST;
      view['os-vol-mig-status-attr:migstat'] = null;
      view['os-vol-mig-status-attr:name_id'] = null;
    }
  }
  return view;
};

import type { VolumeRow } from '@strata/catalog';
import { atLeast } from '../context/microversion';
import type { RequestContext } from '../context/request-context';
import { cinderTime, linksOf } from '../shared/cinder-view';

export const volumeSummary = (ctx: RequestContext, v: Pick<VolumeRow, 'id' | 'name'>) => ({
  id: v.id, name: v.name, links: linksOf(ctx, 'volumes', v.id),
});

/** The fields of Cinder's volume detail view that clients around backups read. */
export const volumeDetail = (ctx: RequestContext, v: VolumeRow) => {
  const view: Record<string, unknown> = {
    id: v.id,
    name: v.name,
    description: v.description,
    status: v.status,
    size: v.size,
    availability_zone: v.availabilityZone,
    created_at: cinderTime(v.createdAt),
    updated_at: cinderTime(v.updatedAt),
    attachments: v.attachedInstance
      ? [{ server_id: v.attachedInstance, attachment_id: v.id, volume_id: v.id, id: v.id, host_name: null, device: null }]
      : [],
    volume_type: v.volumeType,
    snapshot_id: null,
    source_volid: null,
    metadata: v.metadata,
    links: linksOf(ctx, 'volumes', v.id),
    user_id: v.userId,
    bootable: 'false',
    encrypted: v.encryptionKeyId !== null,
    replication_status: null,
    consistencygroup_id: null,
    multiattach: false,
    migration_status: null,
  };
  if (ctx.isAdmin) view['os-vol-tenant-attr:tenant_id'] = v.projectId;
  if (atLeast(ctx.microversion, '3.63')) view.volume_type_id = v.volumeTypeId;
  if (atLeast(ctx.microversion, '3.64') && v.encryptionKeyId) view.encryption_key_id = v.encryptionKeyId;
  return view;
};

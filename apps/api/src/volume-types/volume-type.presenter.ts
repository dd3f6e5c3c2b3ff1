import type { VolumeTypeEncryptionRow, VolumeTypeRow } from '@strata/catalog';
import type { ExtraSpecs } from '@strata/domain';
import { isAllowed } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { cinderTime } from '../shared/cinder-view';
import { USER_VISIBLE_EXTRA_SPECS } from './volume-type.policies';

const ACCESS_KEY = 'os-volume-type-access:is_public';

/** The specs the caller may read: all of them with read_sensitive, else the user-visible few. */
export const visibleExtraSpecs = (ctx: RequestContext, specs: ExtraSpecs): ExtraSpecs =>
  isAllowed(ctx, 'volume_extension:types_extra_specs:read_sensitive')
    ? specs
    : Object.fromEntries(USER_VISIBLE_EXTRA_SPECS.filter((k) => Object.prototype.hasOwnProperty.call(specs, k)).map((k) => [k, specs[k]!]));

/** The volume type access extension adds the visibility under its own key (volume_type_access.py). */
const withAccessKey = (ctx: RequestContext, view: Record<string, unknown>, t: VolumeTypeRow) => {
  if (isAllowed(ctx, 'volume_extension:volume_type_access')) view[ACCESS_KEY] = t.isPublic;
  return view;
};

/** Cinder's v3 type view (api/v3/views/types.py) for list and show: each optional key by its policy. */
export const volumeTypeView = (ctx: RequestContext, t: VolumeTypeRow): Record<string, unknown> => {
  const view: Record<string, unknown> = { id: t.id, name: t.name, is_public: t.isPublic, description: t.description };
  if (isAllowed(ctx, 'volume_extension:access_types_extra_specs')) view.extra_specs = visibleExtraSpecs(ctx, t.extraSpecs);
  if (isAllowed(ctx, 'volume_extension:access_types_qos_specs_id')) view.qos_specs_id = t.qosSpecsId;
  return withAccessKey(ctx, view, t);
};

/**
 * Create and update answer with the older view of types_manage.py (api/views/types.py): every extra spec,
 * no qos_specs_id. The access key is added to a create only (the extension extends no update).
 */
export const volumeTypeManageView = (ctx: RequestContext, t: VolumeTypeRow, { created }: { readonly created: boolean }) => {
  const view: Record<string, unknown> = {
    id: t.id,
    name: t.name,
    is_public: t.isPublic,
    extra_specs: t.extraSpecs,
    description: t.description,
  };
  return created ? withAccessKey(ctx, view, t) : view;
};

/** The encryption row as Cinder's database returns it, soft-delete columns and all. */
export const encryptionView = (e: VolumeTypeEncryptionRow): Record<string, unknown> => ({
  volume_type_id: e.volumeTypeId,
  control_location: e.controlLocation,
  deleted: false,
  created_at: cinderTime(e.createdAt),
  updated_at: cinderTime(e.updatedAt),
  encryption_id: e.encryptionId,
  key_size: e.keySize,
  provider: e.provider,
  deleted_at: null,
  cipher: e.cipher,
});

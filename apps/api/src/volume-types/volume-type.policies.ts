/**
 * Cinder's default policies for volume types (cinder/policies/volume_type.py, type_extra_specs.py,
 * volume_access.py): reading is for every project reader, changing for admins. Three of them decide
 * which fields a view shows rather than whether a call is allowed.
 */
export const VOLUME_TYPE_RULES = {
  'volume_extension:type_get': 'reader',
  'volume_extension:type_get_all': 'reader',
  'volume_extension:type_create': 'admin',
  'volume_extension:type_update': 'admin',
  'volume_extension:type_delete': 'admin',
  /** The view shows `extra_specs` (the user-visible ones unless read_sensitive also allows). */
  'volume_extension:access_types_extra_specs': 'reader',
  /** The view shows `qos_specs_id`. */
  'volume_extension:access_types_qos_specs_id': 'admin',
  /** The view shows `os-volume-type-access:is_public`. */
  'volume_extension:volume_type_access': 'member',
  'volume_extension:volume_type_access:addProjectAccess': 'admin',
  'volume_extension:volume_type_access:removeProjectAccess': 'admin',
  'volume_extension:volume_type_access:get_all_for_type': 'admin',
  'volume_extension:types_extra_specs:index': 'reader',
  'volume_extension:types_extra_specs:show': 'reader',
  'volume_extension:types_extra_specs:create': 'admin',
  'volume_extension:types_extra_specs:update': 'admin',
  'volume_extension:types_extra_specs:delete': 'admin',
  'volume_extension:types_extra_specs:read_sensitive': 'admin',
  'volume_extension:volume_type_encryption:get': 'admin',
  'volume_extension:volume_type_encryption:create': 'admin',
  'volume_extension:volume_type_encryption:update': 'admin',
  'volume_extension:volume_type_encryption:delete': 'admin',
} as const;

/** Extra specs a non-admin may see (type_extra_specs.py `USER_VISIBLE_EXTRA_SPECS`). */
export const USER_VISIBLE_EXTRA_SPECS = ['RESKEY:availability_zones', 'multiattach', 'replication_enabled'] as const;

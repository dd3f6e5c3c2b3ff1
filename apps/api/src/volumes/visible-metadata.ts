import type { VolumeRow } from '@strata/catalog';

/**
 * A volume's metadata as Cinder's views show it: the user's, with the admin metadata everyone may see
 * (`readonly`, `attached_mode`) added over any user key of the same name
 * (cinder/api/api_utils.py `add_visible_admin_metadata`).
 */
export const visibleMetadataOf = (v: Pick<VolumeRow, 'metadata' | 'adminMetadata'>): Record<string, string> => ({
  ...v.metadata,
  ...v.adminMetadata,
});

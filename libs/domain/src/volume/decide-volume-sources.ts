import { InvalidBackup, InvalidInput, InvalidSnapshot, InvalidVolume } from '../errors';
import type { RecordVolumeCopyProgress, RestoreVolumeMetadata, SavedVolumeMeta } from './volume.commands';
import type { VolumeEvent } from './volume.events';
import type { VolumeRecord } from './volume.state';

/** What the api knows of the source a new volume is asked to be created from (read from the catalog). */
export type NewVolumeSourceFacts =
  | { readonly kind: 'backup'; readonly id: string; readonly status: string; readonly sizeGb: number }
  | { readonly kind: 'snapshot'; readonly id: string; readonly status: string; readonly sizeGb: number }
  | { readonly kind: 'volume'; readonly id: string; readonly status: string; readonly sizeGb: number };

/**
 * Cinder's checks of a new volume's source (volume/flows/api/create_volume.py, ExtractVolumeRequestTask):
 * the source's status first, then the size, which defaults to the source's and may not be smaller.
 * Returns the size the volume is created with.
 */
export const sizeOfVolumeFrom = (source: NewVolumeSourceFacts, requestedGb: number | null): number => {
  switch (source.kind) {
    case 'backup':
      if (source.status !== 'available') throw new InvalidBackup("Originating backup status must be one of 'available' values");
      break;
    case 'snapshot':
      if (source.status !== 'available') throw new InvalidSnapshot("Originating snapshot status must be one of 'available' values");
      break;
    case 'volume':
      if (source.status !== 'available' && source.status !== 'in-use')
        throw new InvalidVolume("Originating source volume status must be one of 'available, in-use' values");
      break;
  }
  // Cinder's `not size`: 0 takes the source's size too.
  const size = requestedGb || source.sizeGb;
  if (size < source.sizeGb) {
    const reason = {
      backup: `Volume size ${size}GB cannot be smaller than the backup size ${source.sizeGb}GB. It must be >= backup size.`,
      snapshot: `Volume size '${size}'GB cannot be smaller than the snapshot size ${source.sizeGb}GB. They must be >= original snapshot size.`,
      volume: `Volume size '${size}'GB cannot be smaller than original volume size  ${source.sizeGb}GB. They must be >= original volume size.`,
    }[source.kind];
    throw new InvalidInput(`Invalid input received: ${reason}`);
  }
  return size;
};

/** A copy's checkpoint, recorded only while the volume is still being created and only forward. */
export const decideCopyProgress = ({ data }: RecordVolumeCopyProgress, v: VolumeRecord): VolumeEvent[] => {
  if (v.status !== 'creating' || (v.source.kind !== 'snapshot' && v.source.kind !== 'volume')) return [];
  if (v.copied && v.copied.bytesDone >= data.bytesDone) return [];
  const { volumeId, bytesDone, bytesTotal, now } = data;
  return [{ type: 'VolumeCopyProgressed', data: { volumeId, bytesDone, bytesTotal, progressedAt: now } }];
};

const AUTO_NAME_PREFIX = 'restore_backup_';

/**
 * Cinder's BackupMetadataAPI.put_metadata, once per member of the chain (base first), as its chunked
 * driver does: user metadata saved with a member replaces the volume's; a saved name (with its
 * description) is applied when the volume has no name or one starting with `restore_backup_`, so the
 * first member that names the volume wins. Decided while the restore holds the volume, once: a volume no
 * longer locked by this backup takes nothing.
 */
export const decideRestoreMetadata = ({ data }: RestoreVolumeMetadata, v: VolumeRecord): VolumeEvent[] => {
  if (v.status !== 'restoring-backup' || v.lockedBy !== data.backupId) return [];
  let name = v.name;
  const applied: { name?: string | null; description?: string | null; metadata?: Record<string, string> } = {};
  for (const saved of data.saved) {
    if (!saved) continue;
    if (saved.name && (!name || name.startsWith(AUTO_NAME_PREFIX))) {
      name = saved.name;
      applied.name = saved.name;
      if (saved.description !== undefined) applied.description = saved.description;
    }
    if (saved.metadata) applied.metadata = saved.metadata;
  }
  if (Object.keys(applied).length === 0) return [];
  return [{ type: 'VolumeMetadataRestored', data: { volumeId: v.id, backupId: data.backupId, ...applied, restoredAt: data.now } }];
};

const isStringMap = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((x) => typeof x === 'string');

/** Cinder's message when a backup's `volume_meta` cannot be applied (BackupMetadataUnsupportedVersion and worse). */
export const VOLUME_META_UNREADABLE = 'Metadata restore failed due to incompatible version.';

/**
 * Parses one backup's `volume_meta` (Cinder's JSON text, versions 1 and 2): what a restore can apply.
 * Null when the backup saved none. Throws with Cinder's message for a version it does not know or text
 * that is no such document, as Cinder's restore fails then.
 */
export const savedVolumeMetaOf = (text: string | null): SavedVolumeMeta | null => {
  if (!text) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error(VOLUME_META_UNREADABLE);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error(VOLUME_META_UNREADABLE);
  const meta = doc as Record<string, unknown>;
  if (meta.version !== 1 && meta.version !== 2) throw new Error(VOLUME_META_UNREADABLE);
  const saved: { name?: string | null; description?: string | null; metadata?: Record<string, string> } = {};
  const base = meta['volume-base-metadata'];
  if (typeof base === 'object' && base !== null && !Array.isArray(base)) {
    const b = base as Record<string, unknown>;
    if (typeof b.display_name === 'string' || b.display_name === null) saved.name = b.display_name;
    if (typeof b.display_description === 'string' || b.display_description === null) saved.description = b.display_description;
  }
  const user = meta['volume-metadata'];
  if (user !== undefined) {
    if (!isStringMap(user)) throw new Error(VOLUME_META_UNREADABLE);
    saved.metadata = user;
  }
  return saved;
};

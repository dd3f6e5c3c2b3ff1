import { missingAncestorOf, type Catalog } from '@strata/catalog';
import {
  BackupNotFound,
  incompleteChain,
  InvalidInput,
  SnapshotNotFound,
  VolumeNotFound,
  sizeOfVolumeFrom,
  type NewVolumeSourceFacts,
  type VolumeSource,
} from '@strata/domain';
import type { RequestContext } from '../context/request-context';
import { itemScopeOf } from '../shared/scope';
import type { VolumeTypeLookup } from '../volume-types/volume-type-lookup';

/** The source ids a create request names (at most one). */
export interface RequestedSource {
  readonly backupId: string | null;
  readonly snapshotId: string | null;
  readonly sourceVolid: string | null;
}

/** What a volume from a source is created with: its size, type and key follow the source as Cinder's do. */
export interface NewVolumeFromSource {
  readonly source: VolumeSource;
  readonly sizeGb: number;
  readonly volumeType: string;
  readonly volumeTypeId: string;
  readonly encryptionKeyId: string | null;
  readonly restoreOf?: { readonly backupId: string };
  /** A backup's key: the restored volume gets a clone of it (never the key itself, which goes with the backup). */
  readonly backupKeyId?: string | null;
}

/**
 * Cinder's create from a source (api/v3/volumes.py, then volume/api.py and the api create flow): the
 * source is looked up in the caller's project (another project's is not found), its status and size
 * decide (`sizeOfVolumeFrom`), and the new volume takes the source's type unless one is asked for; a
 * different type is refused, since Strata has no retype. An encrypted source's key goes with its bytes.
 */
export const newVolumeFromSource = (
  catalog: Catalog,
  types: VolumeTypeLookup,
  ctx: RequestContext,
  requested: RequestedSource,
  request: { readonly sizeGb: number | null; readonly volumeType: string | null },
): NewVolumeFromSource | null => {
  const scope = itemScopeOf(ctx);
  const given = [requested.snapshotId, requested.sourceVolid, requested.backupId].filter((x) => x !== null);
  if (given.length === 0) return null;
  if (given.length > 1) throw new InvalidInput('Invalid input received: Only one of snapshot_id, source_volid and backup_id can be given.');

  if (requested.backupId !== null) {
    const backup = catalog.getBackup(requested.backupId, scope);
    if (!backup) throw new BackupNotFound(requested.backupId);
    const facts: NewVolumeSourceFacts = { kind: 'backup', id: backup.id, status: backup.status, sizeGb: backup.size };
    const sizeGb = sizeOfVolumeFrom(facts, request.sizeGb);
    const missingParent = missingAncestorOf(catalog.backupChain(backup.id));
    if (missingParent) throw incompleteChain(backup.id, missingParent);
    // Cinder's api flow takes the type asked for, or the default: a backup names none.
    const type = types.forNewVolume(ctx, request.volumeType, { sizeGb, encryptionKeyId: null });
    return {
      source: { kind: 'backup', backupId: backup.id },
      sizeGb,
      ...type,
      encryptionKeyId: null,
      restoreOf: { backupId: backup.id },
      backupKeyId: backup.encryptionKeyId,
    };
  }

  let facts: NewVolumeSourceFacts;
  let source: VolumeSource;
  let origin: { volumeTypeId: string | null; encryptionKeyId: string | null } | null;
  let mismatch: (typeId: string) => string;
  if (requested.snapshotId !== null) {
    const snapshot = catalog.getSnapshot(requested.snapshotId, scope);
    if (!snapshot) throw new SnapshotNotFound(requested.snapshotId);
    facts = { kind: 'snapshot', id: snapshot.id, status: snapshot.status, sizeGb: snapshot.size };
    source = { kind: 'snapshot', snapshotId: snapshot.id };
    origin = catalog.getVolume(snapshot.volumeId, { projectId: '', allProjects: true });
    mismatch = (typeId) =>
      `Invalid input received: Invalid volume_type provided: ${typeId} (requested type is not compatible; recommend omitting the type argument).`;
  } else {
    const volumeId = requested.sourceVolid as string;
    const volume = catalog.getVolume(volumeId, scope);
    if (!volume) throw new VolumeNotFound(volumeId);
    facts = { kind: 'volume', id: volume.id, status: volume.status, sizeGb: volume.size };
    source = { kind: 'volume', volumeId: volume.id };
    origin = volume;
    mismatch = (typeId) =>
      `Invalid input received: Invalid volume_type provided: ${typeId} (requested type is not compatible; either match source volume, or omit type argument).`;
  }
  const sizeGb = sizeOfVolumeFrom(facts, request.sizeGb);
  const encryptionKeyId = origin?.encryptionKeyId ?? null;
  const type = types.forNewVolume(ctx, request.volumeType ?? origin?.volumeTypeId ?? null, { sizeGb, encryptionKeyId });
  if (request.volumeType && origin?.volumeTypeId && type.volumeTypeId !== origin.volumeTypeId)
    throw new InvalidInput(mismatch(type.volumeTypeId));
  return { source, sizeGb, ...type, encryptionKeyId };
};

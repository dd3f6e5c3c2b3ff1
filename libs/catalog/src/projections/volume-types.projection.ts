import { assertNever, VOLUME_TYPE_EVENT_TYPES, volumeTypeNameKey, type ExtraSpecs, type VolumeTypeEvent } from '@strata/domain';
import type { RecordedEvent } from '@strata/event-store';
import { eventTime } from './event-time';
import { type Projection, type ProjectionTx } from './projection';

/** A key set again keeps its place; a new one goes after the others. */
const setSpecs = (tx: ProjectionTx, id: string, specs: ExtraSpecs, pos: bigint) => {
  Object.entries(specs).forEach(([key, value], ordinal) =>
    tx.run(
      `INSERT INTO volume_type_extra_specs (volume_type_id, key, value, first_set, ordinal) VALUES (@id, @key, @value, @pos, @ordinal)
            ON CONFLICT (volume_type_id, key) DO UPDATE SET value = excluded.value`,
      { id, key, value, pos, ordinal },
    ),
  );
};

/**
 * Cinder's type tables: `volume_types`, `volume_type_extra_specs`, `volume_type_encryption` and
 * `volume_type_projects`. Every event but the first moves the type row's position first; an event the
 * row has already seen (a redelivered batch) changes nothing in any of the four.
 */
export const volumeTypesProjection: Projection<VolumeTypeEvent> = {
  name: 'volume_types',
  handles: VOLUME_TYPE_EVENT_TYPES,
  apply(tx: ProjectionTx, e: VolumeTypeEvent, recorded: RecordedEvent) {
    const pos = recorded.position;
    const at = eventTime(e);
    const id = e.data.volumeTypeId;
    if (e.type === 'VolumeTypeCreated') {
      const d = e.data;
      const created = tx.run(
        `INSERT INTO volume_types (id, name, name_key, description, is_public, created_at, updated_at, last_event_position)
         VALUES (@id, @name, @nameKey, @description, @isPublic, @at, @at, @pos) ON CONFLICT (id) DO NOTHING`,
        { id, name: d.name, nameKey: volumeTypeNameKey(d.name), description: d.description, isPublic: Number(d.isPublic), at, pos },
      );
      if (created > 0) setSpecs(tx, id, d.extraSpecs, pos);
      return;
    }
    const fresh = tx.run(
      'UPDATE volume_types SET updated_at = @at, last_event_position = @pos WHERE id = @id AND last_event_position < @pos',
      { id, at, pos },
    );
    if (fresh === 0) return;
    switch (e.type) {
      case 'VolumeTypeUpdated': {
        const { name, description, isPublic } = e.data;
        tx.run(
          `UPDATE volume_types SET name = COALESCE(@name, name), name_key = COALESCE(@nameKey, name_key),
             description = CASE WHEN @hasDescription THEN @description ELSE description END,
             is_public = COALESCE(@isPublic, is_public)
           WHERE id = @id`,
          {
            id,
            name: name ?? null,
            nameKey: name === undefined ? null : volumeTypeNameKey(name),
            hasDescription: Number(description !== undefined),
            description: description ?? null,
            isPublic: isPublic === undefined ? null : Number(isPublic),
          },
        );
        return;
      }
      case 'VolumeTypeDeleted':
        tx.run('UPDATE volume_types SET deleted_at = @at WHERE id = @id', { id, at });
        for (const table of ['volume_type_extra_specs', 'volume_type_encryption', 'volume_type_projects'])
          tx.run(`DELETE FROM ${table} WHERE volume_type_id = @id`, { id });
        return;
      case 'VolumeTypeExtraSpecsSet':
        setSpecs(tx, id, e.data.extraSpecs, pos);
        return;
      case 'VolumeTypeExtraSpecsUnset':
        for (const key of e.data.keys) tx.run('DELETE FROM volume_type_extra_specs WHERE volume_type_id = @id AND key = @key', { id, key });
        return;
      case 'VolumeTypeEncryptionCreated': {
        const d = e.data;
        tx.run(
          `INSERT OR REPLACE INTO volume_type_encryption
             (volume_type_id, encryption_id, provider, control_location, cipher, key_size, created_at, updated_at)
           VALUES (@id, @encryptionId, @provider, @controlLocation, @cipher, @keySize, @at, NULL)`,
          {
            id,
            encryptionId: d.encryptionId,
            provider: d.provider,
            controlLocation: d.controlLocation,
            cipher: d.cipher,
            keySize: d.keySize,
            at,
          },
        );
        return;
      }
      case 'VolumeTypeEncryptionUpdated': {
        const d = e.data;
        tx.run(
          `UPDATE volume_type_encryption SET provider = COALESCE(@provider, provider),
             control_location = COALESCE(@controlLocation, control_location),
             cipher = CASE WHEN @hasCipher THEN @cipher ELSE cipher END,
             key_size = CASE WHEN @hasKeySize THEN @keySize ELSE key_size END,
             updated_at = @at
           WHERE volume_type_id = @id`,
          {
            id,
            at,
            provider: d.provider ?? null,
            controlLocation: d.controlLocation ?? null,
            hasCipher: Number(d.cipher !== undefined),
            cipher: d.cipher ?? null,
            hasKeySize: Number(d.keySize !== undefined),
            keySize: d.keySize ?? null,
          },
        );
        return;
      }
      case 'VolumeTypeEncryptionDeleted':
        tx.run('DELETE FROM volume_type_encryption WHERE volume_type_id = @id', { id });
        return;
      case 'VolumeTypeAccessAdded':
        tx.run('INSERT OR IGNORE INTO volume_type_projects (volume_type_id, project_id) VALUES (@id, @projectId)', {
          id,
          projectId: e.data.projectId,
        });
        return;
      case 'VolumeTypeAccessRemoved':
        tx.run('DELETE FROM volume_type_projects WHERE volume_type_id = @id AND project_id = @projectId', {
          id,
          projectId: e.data.projectId,
        });
        return;
      default:
        assertNever(e);
    }
  },
};

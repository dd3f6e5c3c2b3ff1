import { Field, MetadataField } from '../validation/cinder-fields';
import { envelope } from '../validation/envelope';
import { P } from '../validation/json-schema-rules';
import { cinderBoolean, textOf, uuidOf } from '../validation/request-values';

/** `POST /backups` (cinder/api/schemas/backups.py `create`), microversions 3.0–3.42. */
export class BackupCreate {
  @Field(P.uuid, { required: true }) volume_id!: string;
  @Field(P.container) container?: string | null;
  @Field(P.description) description?: string | null;
  @Field(P.boolean) incremental?: boolean | string;
  @Field(P.boolean) force?: boolean | string;
  @Field(P.nullableString) name?: string | null;
  @Field(P.uuidAllowNull) snapshot_id?: string | null;
}

/** `create_backup_v343`: adds `metadata`. */
export class BackupCreateV343 extends BackupCreate {
  @MetadataField({ nullable: true }) metadata?: Record<string, string> | null;
}

/** `create_backup_v351`: adds `availability_zone`. */
export class BackupCreateV351 extends BackupCreateV343 {
  @Field(P.nullableString) availability_zone?: string | null;
}

export const BACKUP_CREATE_BODIES = {
  '3.0': envelope('backup', BackupCreate),
  '3.43': envelope('backup', BackupCreateV343),
  '3.51': envelope('backup', BackupCreateV351),
};

/** What a create asks for, in the command's terms. */
export const createBackupRequest = (b: BackupCreateV351) => ({
  volumeId: uuidOf(b.volume_id),
  name: textOf(b.name, { strip: true }) ?? null,
  description: textOf(b.description, { strip: true }) ?? null,
  // Cinder treats an empty container as none given: the configured default.
  container: b.container || null,
  incremental: cinderBoolean(b.incremental) ?? false,
  force: cinderBoolean(b.force) ?? false,
  snapshotId: uuidOf(b.snapshot_id) ?? null,
  metadata: b.metadata ?? {},
  availabilityZone: b.availability_zone ?? null,
});

/** `PUT /backups/{id}` (`update`, from 3.9). */
export class BackupUpdate {
  @Field(P.nullableString) name?: string | null;
  @Field(P.description) description?: string | null;
}

/** `update_backup_v343`: adds `metadata` (not null: `extra_specs`). */
export class BackupUpdateV343 extends BackupUpdate {
  @MetadataField({ nullable: false }) metadata?: Record<string, string>;
}

/** `{"backup": null}` is an empty update (Cinder's schema allows it; its API then fails with a 500). */
export const BACKUP_UPDATE_BODIES = {
  '3.0': envelope('backup', BackupUpdate, { nullable: true }),
  '3.43': envelope('backup', BackupUpdateV343, { nullable: true }),
};

export const updateBackupRequest = (b: BackupUpdateV343 | null) => ({
  name: textOf(b?.name, { strip: true }),
  description: textOf(b?.description, { strip: true }),
  metadata: b?.metadata,
});

/** `POST /backups/{id}/restore` (`restore`); `{"restore": null}` restores into a new volume. */
export class BackupRestore {
  @Field(P.nullableString) name?: string | null;
  @Field(P.uuidAllowNull) volume_id?: string | null;
}

export const BACKUP_RESTORE_BODY = envelope('restore', BackupRestore, { nullable: true });

/** `reset_status_backup` (admin_actions.py): the status's own rule is the decider's (Cinder's format checker). */
export class BackupResetStatus {
  @Field(P.anyString(255), { required: true }) status!: string;
}

export const BACKUP_RESET_STATUS_BODY = envelope('os-reset_status', BackupResetStatus);

/** `os-force_delete` takes no parameters: `{}` or null, as the clients send. */
export class BackupForceDelete {}

export const BACKUP_FORCE_DELETE_BODY = envelope('os-force_delete', BackupForceDelete, { nullable: true });

/** `import_record`: a Cinder export record. */
export class BackupRecordImport {
  @Field(P.backupService, { required: true }) backup_service!: string;
  @Field(P.backupUrl, { required: true }) backup_url!: string;
}

export const BACKUP_RECORD_IMPORT_BODY = envelope('backup-record', BackupRecordImport);

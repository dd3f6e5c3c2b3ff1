import { Field, MetadataField } from '../validation/cinder-fields';
import { envelope } from '../validation/envelope';
import { P } from '../validation/json-schema-rules';
import { cinderBoolean, textOf, uuidOf } from '../validation/request-values';

/** `POST /snapshots` (cinder/api/schemas/snapshots.py `create`). */
export class SnapshotCreate {
  @Field(P.nullableString) name?: string | null;
  @Field(P.nullableString) display_name?: string | null;
  @Field(P.description) description?: string | null;
  @Field(P.uuidAllowNull, { required: true }) volume_id!: string | null;
  @Field(P.boolean) force?: boolean | string;
  @MetadataField({ nullable: true }) metadata?: Record<string, string> | null;
}

export const SNAPSHOT_CREATE_BODY = envelope('snapshot', SnapshotCreate);

export const createSnapshotRequest = (s: SnapshotCreate) => ({
  // Cinder's schema takes a null volume_id; its API then looks the volume up and answers 404.
  volumeId: uuidOf(s.volume_id) ?? 'None',
  name: textOf(s.name ?? s.display_name, { strip: true }) ?? null,
  description: textOf(s.description, { strip: true }) ?? null,
  metadata: s.metadata ?? {},
  force: cinderBoolean(s.force) ?? false,
});

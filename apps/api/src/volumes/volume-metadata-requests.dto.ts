import { MetadataField, type MapRule } from '../validation/cinder-fields';
import { metadataRule } from '../validation/json-schema-rules';
import { pyRepr } from '../validation/py-repr';

/** POST and PUT /volumes/{id}/metadata (cinder/api/schemas/volume_metadata.py `create`): `parameter_types.extra_specs`. */
export class VolumeMetadataBody {
  @MetadataField({ nullable: false, required: true }) metadata!: Record<string, string>;
}

const extraSpecs = metadataRule(false);

/**
 * `metadata_restricted_properties`: extra_specs with exactly one item. jsonschema meets the keywords in
 * the schema's order: the type, the items, the keys, then `minProperties` and `maxProperties`.
 */
const oneItem: MapRule = (value) => {
  const problem = extraSpecs(value);
  if (problem) return problem;
  const count = Object.keys(value as object).length;
  if (count < 1) return { field: 'self', message: `${pyRepr(value)} does not have enough properties` };
  if (count > 1) return { field: 'self', message: `${pyRepr(value)} has too many properties` };
  return null;
};

/** PUT /volumes/{id}/metadata/{key} (`update`): `{"meta": {"<key>": "<value>"}}`. */
export class VolumeMetaItemBody {
  @MetadataField({ nullable: false, required: true, rule: oneItem, description: 'Exactly one key, the one the URL names' })
  meta!: Record<string, string>;
}

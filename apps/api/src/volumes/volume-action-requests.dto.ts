import { DB_MAX_INT } from '@strata/domain';
import { Field, type FieldOptions } from '../validation/cinder-fields';
import { envelope } from '../validation/envelope';
import { all, between, matches, ofType, P, type FieldRule } from '../validation/json-schema-rules';

/** `parameter_types.volume_size`: an integer or a string of digits, 1 to DB_MAX_INT; unlike create's, never null. */
const volumeSize: FieldRule = {
  check: all(ofType('integer', 'string'), matches(/^[0-9]+$/, '^[0-9]+$'), between(1, DB_MAX_INT)),
  openapi: {
    oneOf: [
      { type: 'integer', minimum: 1, maximum: DB_MAX_INT },
      { type: 'string', pattern: '^[0-9]+$' },
    ],
  },
};
const required: FieldOptions = { required: true };

/** `os-extend` (cinder/api/schemas/volume_actions.py `extend`): `cinder extend VOLUME NEW_SIZE`. */
export class VolumeExtend {
  @Field(volumeSize, required) new_size!: number | string;
}
export const VOLUME_EXTEND_BODY = envelope('os-extend', VolumeExtend);

/** `os-set_bootable` (`set_bootable`): `cinder set-bootable VOLUME true|false`. */
export class VolumeSetBootable {
  @Field(P.boolean, required) bootable!: boolean | string;
}
export const VOLUME_SET_BOOTABLE_BODY = envelope('os-set_bootable', VolumeSetBootable);

/** `os-update_readonly_flag` (`volume_readonly_update`): `cinder readonly-mode-update VOLUME True|False`. */
export class VolumeReadonlyUpdate {
  @Field(P.boolean, required) readonly!: boolean | string;
}
export const VOLUME_READONLY_UPDATE_BODY = envelope('os-update_readonly_flag', VolumeReadonlyUpdate);

/*
 * os-reserve, os-unreserve, os-begin_detaching and os-roll_detaching take no parameters and Cinder gives
 * them no schema (cinderclient sends null). Strata takes null or {} and refuses a key inside, as it does
 * for os-unmanage: a parameter it would drop is a request it would not honour.
 */
export class VolumeReserve {}
export class VolumeUnreserve {}
export class VolumeBeginDetaching {}
export class VolumeRollDetaching {}
export const VOLUME_RESERVE_BODY = envelope('os-reserve', VolumeReserve, { nullable: true });
export const VOLUME_UNRESERVE_BODY = envelope('os-unreserve', VolumeUnreserve, { nullable: true });
export const VOLUME_BEGIN_DETACHING_BODY = envelope('os-begin_detaching', VolumeBeginDetaching, { nullable: true });
export const VOLUME_ROLL_DETACHING_BODY = envelope('os-roll_detaching', VolumeRollDetaching, { nullable: true });

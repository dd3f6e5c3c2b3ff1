import { AnyOfRequired, Field } from '../validation/cinder-fields';
import { all, lengthBetween, ofType, P, whole } from '../validation/json-schema-rules';

const name255 = { check: all(ofType('string'), lengthBetween(1, 255)), openapi: { type: 'string', minLength: 1, maxLength: 255 } };

/** `enable_and_disable` (cinder/api/schemas/services.py): `binary` or its older name `service`, and the host. */
@AnyOfRequired('binary', 'service')
export class ServiceEnableDisable {
  @Field(name255) binary?: string;
  @Field(P.host) host?: string | null;
  @Field(P.nullableString) cluster?: string | null;
  @Field(name255) service?: string;
}

/** The `disabled_reason` format: stripped of white space, 1 to 255 characters (utils.check_string_length). */
const disabledReason = {
  check: all(ofType('string'), lengthBetween(1, 255), (value: unknown) => {
    if (typeof value !== 'string') return null;
    const n = [...value.trim()].length;
    return n < 1 ? whole(`Invalid input received: disabled_reason has ${n} characters, less than 1.`) : null;
  }),
  openapi: { type: 'string', minLength: 1, maxLength: 255 },
};

/** `disable_log_reason`: adds `disabled_reason` (the anyOf comes with the parent class). */
export class ServiceDisableLogReason extends ServiceEnableDisable {
  @Field(disabledReason) disabled_reason?: string;
}

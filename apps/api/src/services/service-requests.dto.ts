import { AnyOfRequired, Field } from '../validation/cinder-fields';
import { all, lengthBetween, ofType, P } from '../validation/json-schema-rules';
import { pyRepr } from '../validation/py-repr';

const name255 = { check: all(ofType('string'), lengthBetween(1, 255)), openapi: { type: 'string', minLength: 1, maxLength: 255 } };

/** `enable_and_disable` (cinder/api/schemas/services.py): `binary` or its older name `service`, and the host. */
@AnyOfRequired('binary', 'service')
export class ServiceEnableDisable {
  @Field(name255) binary?: string;
  @Field(P.host) host?: string | null;
  @Field(P.nullableString) cluster?: string | null;
  @Field(name255) service?: string;
}

/**
 * The `disabled_reason` format: 1 to 255 characters once stripped of white space; Cinder's validator
 * reports a failure of it as the format's, not the checker's own message.
 */
const disabledReason = {
  check: all(ofType('string'), lengthBetween(1, 255), (value: unknown) =>
    typeof value === 'string' && value.trim() === '' ? `${pyRepr(value)} is not a 'disabled_reason'` : null,
  ),
  openapi: { type: 'string', minLength: 1, maxLength: 255 },
};

/** `disable_log_reason`: adds `disabled_reason` (the anyOf comes with the parent class). */
export class ServiceDisableLogReason extends ServiceEnableDisable {
  @Field(disabledReason) disabled_reason?: string;
}

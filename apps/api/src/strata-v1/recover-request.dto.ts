import { Field, NestedField } from '../validation/cinder-fields';
import { all, ofType, oneOfValues, P } from '../validation/json-schema-rules';

/** Where to scan: a POSIX directory (the configured repository when absent). */
export class RecoverRepository {
  @Field({ check: all(ofType('string'), oneOfValues(['posix'])), openapi: { type: 'string', enum: ['posix'] } }) driver?: 'posix';
  @Field(P.anyString(4096)) path?: string;
}

/** `POST /strata/v1/catalog/recover`: every part optional; no project means the caller's. */
export class RecoverRequest {
  @NestedField(() => RecoverRepository, { nullable: true }) repository?: RecoverRepository | null;
  @Field(P.nullableString) project_id?: string | null;
}

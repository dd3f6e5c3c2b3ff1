import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { registerDecorator, ValidateIf, ValidateNested, type ValidationArguments } from 'class-validator';
import { metadataRule, ofType, type FieldRule } from './json-schema-rules';

/**
 * The class-validator decorators of Strata's request DTOs: one per Cinder parameter type, each checking
 * its field the way Cinder's jsonschema does and describing it to the OpenAPI document in the same place,
 * so what is validated and what is documented cannot drift apart.
 *
 * A failure is reported to `cinder-validation-fault.ts` as `<kind>\0<field>\0<message>`: `kind` says where
 * jsonschema places it (the field itself, a key inside it, or the object that holds it).
 */
export type FailureKind = 'field' | 'required' | 'anyOf';
export const CINDER_CONSTRAINT = 'cinder';
export const CINDER_REQUIRED = 'cinderRequired';

export const encodeFailure = (kind: FailureKind, field: string, message: string) => `${kind}\0${field}\0${message}`;
export const decodeFailure = (text: string) => {
  const [kind, field, ...message] = text.split('\0');
  return { kind: kind as FailureKind, field: field!, message: message.join('\0') };
};

/** The order fields are declared in, base class first: the order jsonschema meets Cinder's properties in. */
const DECLARED = new WeakMap<object, string[]>();

const declare = (prototype: object, property: string) => {
  const own = DECLARED.get(prototype) ?? [];
  if (!own.includes(property)) own.push(property);
  DECLARED.set(prototype, own);
};

export const declaredFields = (prototype: object | null): string[] => {
  if (!prototype || prototype === Object.prototype) return [];
  return [...declaredFields(Object.getPrototypeOf(prototype) as object | null), ...(DECLARED.get(prototype) ?? [])];
};

export interface FieldOptions {
  /** jsonschema's `required`: absent is refused (null is a value, for the field's rule to judge). */
  readonly required?: boolean;
  readonly description?: string;
}

const registerRequired = (target: object, property: string) =>
  registerDecorator({
    name: CINDER_REQUIRED,
    target: target.constructor,
    propertyName: property,
    validator: {
      validate: (value: unknown) => value !== undefined,
      defaultMessage: () => encodeFailure('required', property, `'${property}' is a required property`),
    },
  });

const registerCheck = (target: object, property: string, check: (value: unknown) => { field: string; message: string } | null) =>
  registerDecorator({
    name: CINDER_CONSTRAINT,
    target: target.constructor,
    propertyName: property,
    validator: {
      validate: (value: unknown) => value === undefined || check(value) === null,
      defaultMessage: (args: ValidationArguments) => {
        const failure = check(args.value)!;
        return encodeFailure('field', failure.field, failure.message);
      },
    },
  });

/** A field of one of Cinder's parameter types (`P.uuid`, `P.nullableString`, ...). */
export const Field =
  (rule: FieldRule, { required = false, description }: FieldOptions = {}): PropertyDecorator =>
  (target, key) => {
    const property = String(key);
    declare(target, property);
    if (required) registerRequired(target, property);
    registerCheck(target, property, (value) => {
      const message = rule.check(value);
      return message === null ? null : { field: property, message };
    });
    ApiProperty({ ...rule.openapi, required, ...(description ? { description } : {}) })(target, key);
  };

/** What a map field's rule reports: the field itself (`self`) or one of its keys, and jsonschema's message. */
export type MapRule = (value: unknown) => { readonly field: 'self' | string; readonly message: string } | null;

/**
 * `metadata_allows_null` (nullable) or `extra_specs`: string keys of Cinder's pattern to strings of at most
 * 255; `rule` for the other maps of that family (the extra specs variants of volume types).
 */
export const MetadataField =
  ({
    nullable,
    rule = metadataRule(nullable),
    required = false,
    description = 'Keys of 1-255 characters of [a-zA-Z0-9-_:. /], values of at most 255 characters',
  }: {
    readonly nullable: boolean;
    readonly rule?: MapRule;
    readonly required?: boolean;
    readonly description?: string;
  }): PropertyDecorator =>
  (target, key) => {
    const property = String(key);
    declare(target, property);
    if (required) registerRequired(target, property);
    registerCheck(target, property, (value) => {
      const failure = rule(value);
      return failure === null
        ? null
        : { field: failure.field === 'self' ? property : `${property}.${failure.field}`, message: failure.message };
    });
    const schema: Record<string, unknown> = {
      type: 'object',
      additionalProperties: { type: 'string', maxLength: 255 },
      nullable,
      required,
      description,
    };
    ApiProperty(schema)(target, key);
  };

/** An object of the DTO `type`, validated in turn (Cinder's nested schemas). */
export const NestedField =
  (
    type: () => new () => object,
    { required = false, nullable = false }: FieldOptions & { readonly nullable?: boolean } = {},
  ): PropertyDecorator =>
  (target, key) => {
    const property = String(key);
    declare(target, property);
    if (required) registerRequired(target, property);
    const typeRule = nullable ? ofType('object', 'null') : ofType('object');
    registerCheck(target, property, (value) => {
      const message = typeRule(value);
      return message === null ? null : { field: property, message };
    });
    // A null where null is allowed has nothing inside to check (class-validator would call it "not an object").
    if (nullable) ValidateIf((object: Record<string, unknown>) => object[property] !== null)(target, key);
    ValidateNested()(target, key);
    Type(type)(target, key);
    // An inline `type: () => …`: swagger tells a lazy type from a class by the function's name being `type`.
    ApiProperty({ type: () => type(), required, nullable })(target, key);
  };

/** A field Cinder's schema types loosely (`{"type": ["object", "string"]}` and the like). */
export const LooseField = (types: Parameters<typeof ofType>, openapi: Record<string, unknown>, options: FieldOptions = {}) =>
  Field({ check: ofType(...types), openapi }, options);

/** jsonschema's `anyOf: [{required: [a]}, {required: [b]}]` on the object itself. */
export const AnyOfRequired =
  (...alternatives: readonly string[]): ClassDecorator =>
  (target) => {
    registerDecorator({
      name: CINDER_CONSTRAINT,
      target,
      propertyName: '__anyOf',
      validator: {
        validate: (_: unknown, args: ValidationArguments) =>
          alternatives.some((name) => (args.object as Record<string, unknown>)[name] !== undefined),
        defaultMessage: () => encodeFailure('anyOf', '', 'is not valid under any of the given schemas'),
      },
    });
  };

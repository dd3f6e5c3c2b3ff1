import { createParamDecorator, ValidationPipe, type ExecutionContext, type ValidationPipeOptions } from '@nestjs/common';
import { ApiBody, ApiExtraModels } from '@nestjs/swagger';
import type { Request } from 'express';
import { atLeast, type Microversion } from '../context/microversion';
import { requestContextOf } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';
import { cinderValidationFault } from './cinder-validation-fault';
import { pyRepr } from './py-repr';

export type Dto<T = object> = new () => T;

/**
 * The body schema of each microversion range, keyed by the first microversion it applies to (Cinder's
 * `@validation.schema(create, '3.0', '3.42')`, `@validation.schema(create_v343, '3.43', '3.50')`, ...).
 */
export type VersionedBodies = Readonly<Record<string, Dto>>;

const OPTIONS: ValidationPipeOptions = {
  transform: true,
  // Cinder's schemas say additionalProperties: false: an unknown key is refused, never dropped.
  whitelist: true,
  forbidNonWhitelisted: true,
  // Payloads without fields (`os-force_delete: {}`) are valid objects: the type is checked by the fields' rules.
  forbidUnknownValues: false,
  // A field whose own type is wrong is not looked inside (jsonschema stops there too).
  stopAtFirstError: true,
  validationError: { target: true, value: false },
};

/** The DTO of the newest range that starts at or below the request's microversion. */
export const bodyFor = (versions: VersionedBodies, microversion: Microversion): Dto => {
  // Keys are in ascending order, as Cinder lists its schemas: the last one the request reaches wins.
  const reached = Object.keys(versions).filter((start) => atLeast(microversion, start));
  return versions[reached.at(-1) ?? Object.keys(versions)[0]!]!;
};

/**
 * Checks `raw` against the DTO through Nest's ValidationPipe (class-validator with class-transformer)
 * and returns the DTO instance; a refusal is Cinder's 400 with jsonschema's wording.
 */
export const validateBody = async <T extends object>(dto: Dto<T>, raw: unknown): Promise<T> => {
  // The envelope is always an object: jsonschema says so before it looks at any key.
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw HttpFault.badRequest(`${pyRepr(raw)} is not of type 'object'`);
  const pipe = new ValidationPipe({ ...OPTIONS, exceptionFactory: (errors) => cinderValidationFault(errors, raw) });
  return (await pipe.transform(raw, { type: 'body', metatype: dto, data: '' })) as T;
};

interface BodyOptions {
  /** Strata's own routes whose every part is optional: no body at all (or null) is an empty one. */
  readonly optional?: boolean;
}

const versionedBody = createParamDecorator(
  async ({ versions, optional }: { versions: VersionedBodies } & BodyOptions, ctx: ExecutionContext) => {
    const req = ctx.switchToHttp().getRequest<Request>();
    const microversion = requestContextOf(req)?.microversion ?? { major: 3, minor: 0 };
    const body: unknown = req.body;
    return validateBody(bodyFor(versions, microversion), optional && (body === undefined || body === null) ? {} : body);
  },
);

/**
 * The request body, validated against the DTO of the request's microversion; the OpenAPI document shows
 * the newest one (and lists the older ones among its schemas).
 */
export const CinderBody =
  (versions: VersionedBodies | Dto, { optional = false }: BodyOptions = {}): ParameterDecorator =>
  (target, key, index) => {
    const byVersion: VersionedBodies = typeof versions === 'function' ? { '3.0': versions } : versions;
    versionedBody({ versions: byVersion, optional })(target, key, index);
    const descriptor = Object.getOwnPropertyDescriptor(target, key!)!;
    const dtos = Object.values(byVersion);
    ApiExtraModels(...dtos)(target, key!, descriptor);
    ApiBody({
      type: dtos[dtos.length - 1]!,
      description:
        dtos.length > 1
          ? `From microversion ${Object.keys(byVersion).at(-1)}; earlier: ${dtos
              .slice(0, -1)
              .map((d) => d.name)
              .join(', ')}`
          : undefined,
    })(target, key!, descriptor);
  };

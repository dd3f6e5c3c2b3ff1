import { ValidationPipe } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { registerDecorator, type ValidationArguments, type ValidationError } from 'class-validator';
import { HttpFault } from '../errors/cinder-fault';
import { declaredFields } from './cinder-fields';
import type { Dto } from './cinder-body';

/** A query string value: Express gives a repeated key as a list. */
export type QueryValue = string | string[];

/** The value a parameter takes when repeated: the first, as webob's MultiDict.pop gives Cinder. */
export const firstOf = (value: QueryValue | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

const QUERY_CONSTRAINT = 'queryParameter';
const QUERY_ORDER = new WeakMap<object, string[]>();

/**
 * A query parameter whose (first) value must pass `check`, which answers the whole message of the 400
 * (Cinder's list parameters are checked by code, not by jsonschema, and say so in their own words).
 */
export const QueryField =
  (
    check: (value: string, all: readonly string[]) => string | null,
    openapi: Readonly<Record<string, unknown>> = { type: 'string' },
  ): PropertyDecorator =>
  (target, key) => {
    const property = String(key);
    QUERY_ORDER.set(target, [...(QUERY_ORDER.get(target) ?? []), property]);
    const problem = (value: QueryValue) => check(firstOf(value)!, Array.isArray(value) ? value : [value]);
    registerDecorator({
      name: QUERY_CONSTRAINT,
      target: target.constructor,
      propertyName: property,
      validator: {
        validate: (value: QueryValue | undefined) => value === undefined || problem(value) === null,
        defaultMessage: (args?: ValidationArguments) => problem(args!.value as QueryValue)!,
      },
    });
    ApiProperty({ ...openapi, required: false })(target, key);
  };

const queryOrder = (prototype: object | null): string[] =>
  !prototype || prototype === Object.prototype
    ? []
    : [...queryOrder(Object.getPrototypeOf(prototype) as object | null), ...(QUERY_ORDER.get(prototype) ?? [])];

const firstQueryMessage = (errors: readonly ValidationError[], allowed: readonly string[]): string => {
  const unknown = errors.filter((e) => e.constraints?.whitelistValidation).map((e) => e.property);
  if (unknown.length > 0) return `Invalid filter(s): ${unknown.join(', ')}. Known: ${allowed.join(', ')}.`;
  const target = errors.find((e) => e.target)?.target;
  const order = target ? queryOrder(Object.getPrototypeOf(target) as object) : [];
  const ordered = [...errors].sort((a, b) => order.indexOf(a.property) - order.indexOf(b.property));
  return ordered.map((e) => e.constraints?.[QUERY_CONSTRAINT]).find((m) => m !== undefined) ?? 'Invalid query string.';
};

/**
 * Checks a query string against its DTO through Nest's ValidationPipe. `filters: true` lets keys the DTO
 * does not declare through (a list's filters, which the caller then judges); otherwise they are refused.
 */
export const validateQuery = async <T extends object>(dto: Dto<T>, raw: Record<string, unknown>, { filters = false } = {}): Promise<T> => {
  const allowed = [...queryOrder(dto.prototype as object), ...declaredFields(dto.prototype as object)];
  const pipe = new ValidationPipe({
    transform: true,
    whitelist: !filters,
    forbidNonWhitelisted: !filters,
    forbidUnknownValues: true,
    validationError: { target: true, value: true },
    exceptionFactory: (errors) => HttpFault.badRequest(firstQueryMessage(errors, allowed)),
  });
  return (await pipe.transform({ ...raw }, { type: 'query', metatype: dto, data: '' })) as T;
};

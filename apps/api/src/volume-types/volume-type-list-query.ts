import type { ListVolumeTypesRequest, VolumeTypeListFilters } from '@strata/catalog';
import { atLeast } from '../context/microversion';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';
import type { ListQuery } from '../validation/list-query';

type TypeFilters = Pick<ListVolumeTypesRequest, 'isPublic' | 'filters' | 'extraSpecs'>;

const TRUE = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE = ['0', 'f', 'false', 'off', 'n', 'no'];

/** `api_utils._parse_is_public`: absent, the public ones; "None", all; else a strict boolean. */
const isPublicOf = (raw: string | undefined): boolean | null => {
  if (raw === undefined) return true;
  if (raw.toLowerCase() === 'none') return null;
  const text = raw.trim().toLowerCase();
  if (TRUE.includes(text)) return true;
  if (FALSE.includes(text)) return false;
  throw HttpFault.badRequest(`Invalid is_public filter [${raw}]`);
};

/**
 * The `extra_specs` filter, a Python dict literal as Cinder reads it with `ast.literal_eval`
 * (`{'k': 'v', "k2": "v2"}`), of strings only (a backslash keeps the next character). Null when the text
 * is not one (Cinder then fails with a 500).
 */
export const dictLiteralOf = (text: string): Record<string, string> | null => {
  let i = 0;
  const blank = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const quoted = (): string | null => {
    blank();
    const quote = text[i];
    if (quote !== "'" && quote !== '"') return null;
    let out = '';
    for (i++; i < text.length && text[i] !== quote; i++) out += text[i] === '\\' && i + 1 < text.length ? text[++i] : text[i];
    if (text[i] !== quote) return null;
    i++;
    return out;
  };
  const next = (ch: string) => {
    blank();
    if (text[i] !== ch) return false;
    i++;
    return true;
  };
  if (!next('{')) return null;
  const out: Record<string, string> = {};
  while (!next('}')) {
    const key = quoted();
    if (key === null || !next(':')) return null;
    const value = quoted();
    if (value === null) return null;
    out[key] = value;
    if (!next(',')) {
      if (!next('}')) return null;
      break;
    }
  }
  blank();
  return i === text.length ? out : null;
};

const COLUMN_FILTERS: readonly (keyof VolumeTypeListFilters)[] = ['id', 'name', 'description'];

/**
 * What GET /types filters on (cinder/api/v3/types.py): a non-admin sees the public types and those its
 * project was given, filters on nothing else (refused from 3.52, dropped before); an admin filters on
 * `is_public`, `extra_specs` and the type's columns. Null when an admin's filter names something no type
 * has, which in Cinder matches nothing.
 */
export const volumeTypeListFilters = (ctx: RequestContext, q: ListQuery): TypeFilters | null => {
  const filters: Record<string, string> = { ...q.filters };
  const resourceFilters = atLeast(ctx.microversion, '3.52');
  if (resourceFilters && Object.keys(filters).some((key) => /\P{ASCII}/u.test(key)))
    throw HttpFault.badRequest('Filter keys can only contain ASCII characters.');
  if (!ctx.isAdmin) {
    const invalid = Object.keys(filters).filter((key) => key !== 'is_public');
    if (resourceFilters && invalid.length > 0)
      throw HttpFault.badRequest(`Invalid filters ${invalid.join(',')} are found in query options.`);
    return { isPublic: true };
  }
  const { is_public: isPublic, extra_specs: extraSpecsText, ...columns } = filters;
  const out: { isPublic: boolean | null; filters: Record<string, string>; extraSpecs?: Record<string, string> } = {
    isPublic: isPublicOf(isPublic),
    filters: {},
  };
  if (extraSpecsText !== undefined) {
    const extraSpecs = dictLiteralOf(extraSpecsText);
    if (extraSpecs === null)
      throw HttpFault.badRequest(`Invalid input received: extra_specs must be a dict such as {'key': 'value'}, not ${extraSpecsText}`);
    out.extraSpecs = extraSpecs;
  }
  for (const [key, value] of Object.entries(columns)) {
    if (!(COLUMN_FILTERS as readonly string[]).includes(key)) return null;
    out.filters[key] = value;
  }
  return out;
};

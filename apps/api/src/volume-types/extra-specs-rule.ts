import { MAX_TEXT_LENGTH } from '@strata/domain';
import type { MapRule } from '../validation/cinder-fields';
import { all, lengthBetween, ofType } from '../validation/json-schema-rules';
import { pyRepr } from '../validation/py-repr';

/** Cinder's two extra specs key patterns: with spaces and slashes (type create), without (the extra_specs routes). */
export const SPEC_KEY = { pattern: /^[a-zA-Z0-9-_:. /]{1,255}$/, source: '^[a-zA-Z0-9-_:. /]{1,255}$' } as const;
export const SPEC_KEY_NO_SPACES = { pattern: /^[a-zA-Z0-9-_:.]{1,255}$/, source: '^[a-zA-Z0-9-_:.]{1,255}$' } as const;

const specValue = all(ofType('string', 'null'), lengthBetween(0, MAX_TEXT_LENGTH));

/**
 * `extra_specs_with_null` and `extra_specs_with_no_spaces_key`: an object whose keys match the pattern and
 * whose values are strings of at most 255 characters or null. In jsonschema's order: the type, then each
 * matching key's value (`patternProperties`), then every key that matches nothing, sorted, in one message
 * (`additionalProperties`).
 */
export const extraSpecsRule =
  (key: { readonly pattern: RegExp; readonly source: string }): MapRule =>
  (value) => {
    const typeProblem = ofType('object')(value);
    if (typeProblem) return { field: 'self', message: typeProblem };
    const entries = Object.entries(value as Record<string, unknown>);
    for (const [k, v] of entries) {
      if (!key.pattern.test(k)) continue;
      const problem = specValue(v);
      if (problem) return { field: k, message: problem };
    }
    const unmatched = entries
      .map(([k]) => k)
      .filter((k) => !key.pattern.test(k))
      .sort();
    if (unmatched.length > 0)
      return {
        field: 'self',
        message: `${unmatched.map((k) => pyRepr(k)).join(', ')} ${unmatched.length === 1 ? 'does' : 'do'} not match any of the regexes: ${pyRepr(key.source)}`,
      };
    return null;
  };

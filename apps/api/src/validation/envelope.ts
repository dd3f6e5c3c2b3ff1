import { NestedField } from './cinder-fields';
import type { Dto } from './cinder-body';

/**
 * Cinder wraps every request payload in one key (`{"backup": {...}}`): the body DTO of a payload DTO.
 * `nullable`: Cinder's schema also takes `{"<key>": null}` (an update or restore with nothing to say).
 */
export const envelope = <K extends string, T extends object>(key: K, payload: Dto<T>, { nullable = false } = {}): Dto<Record<K, T>> => {
  class Envelope {}
  NestedField(() => payload, { required: true, nullable })(Envelope.prototype, key);
  Object.defineProperty(Envelope, 'name', { value: `${payload.name}Body` });
  return Envelope as unknown as Dto<Record<K, T>>;
};

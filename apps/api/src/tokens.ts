/** Injection tokens of the api app. */
export const AUTHENTICATOR = Symbol('AUTHENTICATOR');
export const CLOCK = Symbol('CLOCK');
export const ID_GENERATOR = Symbol('ID_GENERATOR');
export const JSON_LOGGER = Symbol('JSON_LOGGER');

export interface Clock {
  now(): Date;
}
export interface IdGenerator {
  newId(): string;
}

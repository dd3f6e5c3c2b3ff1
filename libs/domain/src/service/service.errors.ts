import { DomainError } from '../errors';

/** Cinder's ServiceNotFound, with the host when one was asked for. */
export class ServiceNotFound extends DomainError {
  override readonly name = 'ServiceNotFound';
  readonly kind = 'not_found';
  constructor(
    readonly binary: string,
    readonly host?: string,
  ) {
    super(host ? `Service ${binary} could not be found on host ${host}.` : `Service ${binary} could not be found.`);
  }
}

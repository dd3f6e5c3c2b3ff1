import { DomainError } from '../errors';
import type { JobSubject } from './job-lease.events';

/** Another worker holds a live lease on the job: it is running there. */
export class JobLeaseHeld extends DomainError {
  override readonly name = 'JobLeaseHeld';
  readonly kind = 'conflict';
  constructor(
    readonly subject: JobSubject,
    readonly holder: string,
    readonly expiresAt: string,
  ) {
    super(`The ${subject.kind} ${subject.id} job is held by worker ${holder} until ${expiresAt}.`);
  }
}

/** The worker's lease was taken over (it renewed too late): it must stop working on the job. */
export class JobLeaseLost extends DomainError {
  override readonly name = 'JobLeaseLost';
  readonly kind = 'conflict';
  constructor(
    readonly subject: JobSubject,
    readonly workerId: string,
    readonly holder: string | null,
  ) {
    super(`Worker ${workerId} no longer holds the ${subject.kind} ${subject.id} job (now ${holder ?? 'nobody'}).`);
  }
}

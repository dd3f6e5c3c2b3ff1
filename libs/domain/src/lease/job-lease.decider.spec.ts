import { DeciderSpecification } from '../testing/decider-specification';
import type { JobLeaseCommand } from './job-lease.commands';
import { jobLeaseDecider } from './job-lease.decider';
import { JobLeaseHeld, JobLeaseLost } from './job-lease.errors';
import type { JobLeaseEvent, JobSubject } from './job-lease.events';

const given = DeciderSpecification.for(jobLeaseDecider);
const subject: JobSubject = { kind: 'backup', id: 'b0000000-0000-4000-8000-000000000001' };
const T0 = '2026-11-27T10:00:00.000Z';
const T10 = '2026-11-27T10:00:10.000Z';
const T15 = '2026-11-27T10:00:15.000Z';
const T20 = '2026-11-27T10:00:20.000Z';
const T25 = '2026-11-27T10:00:25.000Z';

const acquire = (workerId: string, now: string): JobLeaseCommand => ({
  type: 'AcquireJobLease',
  data: { subject, workerId, leaseSeconds: 15, now },
});
const renew = (workerId: string, now: string): JobLeaseCommand => ({
  type: 'RenewJobLease',
  data: { subject, workerId, leaseSeconds: 15, now },
});
const release = (workerId: string): JobLeaseCommand => ({ type: 'ReleaseJobLease', data: { subject, workerId, now: T10 } });
const acquired = (workerId: string, at: string, expiresAt: string, takenOverFrom: string | null = null): JobLeaseEvent => ({
  type: 'JobLeaseAcquired',
  data: { subject, workerId, expiresAt, acquiredAt: at, takenOverFrom },
});
const renewed = (workerId: string, at: string, expiresAt: string): JobLeaseEvent => ({
  type: 'JobLeaseRenewed',
  data: { subject, workerId, expiresAt, renewedAt: at },
});
const released = (workerId: string): JobLeaseEvent => ({ type: 'JobLeaseReleased', data: { subject, workerId, releasedAt: T10 } });

const T40 = '2026-11-27T10:00:40.000Z';
const beating = (workerId: string, now: string, beat: { workerId: string; at: string }): JobLeaseCommand => ({
  type: 'AcquireJobLease',
  data: { subject, workerId, leaseSeconds: 15, now, beat },
});

describe('AcquireJobLease of a lease renewed by beacon', () => {
  it("refuses a lease whose last event expired while the holder's beat, plus its lease time, has not", () =>
    given([acquired('w1', T0, T15)])
      .when(beating('w2', T20, { workerId: 'w1', at: T10 }))
      .thenThrows(JobLeaseHeld));
  it('takes over once the holder beat no more for a whole lease', () =>
    given([acquired('w1', T0, T15)])
      .when(beating('w2', T40, { workerId: 'w1', at: T20 }))
      .then([acquired('w2', T40, '2026-11-27T10:00:55.000Z', 'w1')]));
  it("ignores a beat that is not the holder's (an earlier holder's)", () =>
    given([acquired('w1', T0, T15)])
      .when(beating('w2', T20, { workerId: 'w0', at: T20 }))
      .then([acquired('w2', T20, '2026-11-27T10:00:35.000Z', 'w1')]));
});

describe('AcquireJobLease', () => {
  it('gives a job nobody holds to the worker, until now + the lease time', () =>
    given([])
      .when(acquire('w1', T0))
      .then([acquired('w1', T0, T15)]));
  it('refuses a job another worker holds and renews in time', () =>
    given([acquired('w1', T0, T15)])
      .when(acquire('w2', T10))
      .thenThrows(JobLeaseHeld, `The backup ${subject.id} job is held by worker w1 until ${T15}.`));
  it('takes over a job whose worker stopped renewing, naming the worker it took it from', () =>
    given([acquired('w1', T0, T15)])
      .when(acquire('w2', T20))
      .then([acquired('w2', T20, '2026-11-27T10:00:35.000Z', 'w1')]));
  it('gives a released job to the next worker at once', () =>
    given([acquired('w1', T0, T15), released('w1')])
      .when(acquire('w2', T10))
      .then([acquired('w2', T10, T25)]));
  it('renews the lease of a worker that asks again for the job it holds', () =>
    given([acquired('w1', T0, T15)])
      .when(acquire('w1', T10))
      .then([renewed('w1', T10, T25)]));
});

describe('RenewJobLease', () => {
  it('moves the expiry of the holder on', () =>
    given([acquired('w1', T0, T15)])
      .when(renew('w1', T10))
      .then([renewed('w1', T10, T25)]));
  it('lets a late holder go on when nobody took the job meanwhile', () =>
    given([acquired('w1', T0, T15)])
      .when(renew('w1', T20))
      .then([renewed('w1', T20, '2026-11-27T10:00:35.000Z')]));
  it('tells a worker whose job was taken over that it lost it', () =>
    given([acquired('w1', T0, T15), acquired('w2', T20, '2026-11-27T10:00:35.000Z', 'w1')])
      .when(renew('w1', T20))
      .thenThrows(JobLeaseLost, `Worker w1 no longer holds the backup ${subject.id} job (now w2).`));
});

describe('ReleaseJobLease', () => {
  it('frees the job when its holder is done', () =>
    given([acquired('w1', T0, T15)])
      .when(release('w1'))
      .then([released('w1')]));
  it('records nothing for a worker that no longer holds the job', () =>
    given([acquired('w1', T0, T15), acquired('w2', T20, '2026-11-27T10:00:35.000Z', 'w1')])
      .when(release('w1'))
      .then([]));
});

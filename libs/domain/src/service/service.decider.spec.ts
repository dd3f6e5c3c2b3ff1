import { DeciderSpecification } from '../testing/decider-specification';
import { InvalidInput } from '../errors';
import type { ServiceCommand } from './service.commands';
import { serviceDecider } from './service.decider';
import { ServiceNotFound } from './service.errors';
import { isServiceUp } from './service-liveness';
import type { ServiceEvent } from './service.events';

const given = DeciderSpecification.for(serviceDecider);
const T0 = '2026-12-04T10:00:00.000Z';
const T1 = '2026-12-04T10:05:00.000Z';
const host = 'node-1';
const binary = 'cinder-backup' as const;

const register = (zone = 'nova', now = T0): ServiceCommand => ({ type: 'RegisterService', data: { host, binary, zone, now } });
const disable = (reason?: string | null): ServiceCommand => ({
  type: 'DisableService',
  data: { host, binary, now: T1, ...(reason === undefined ? {} : { reason }) },
});
const enable: ServiceCommand = { type: 'EnableService', data: { host, binary, now: T1 } };
const registered = (zone = 'nova', at = T0): ServiceEvent => ({
  type: 'ServiceRegistered',
  data: { host, binary, zone, registeredAt: at },
});
const disabled = (disabledReason: string | null): ServiceEvent => ({
  type: 'ServiceDisabled',
  data: { host, binary, disabledReason, disabledAt: T1 },
});
const enabled: ServiceEvent = { type: 'ServiceEnabled', data: { host, binary, enabledAt: T1 } };

describe('RegisterService', () => {
  it('records a service the first time its process starts', () => given([]).when(register()).then([registered()]));
  it('records nothing when the process starts again in the same zone', () => given([registered()]).when(register('nova', T1)).then([]));
  it('records the new zone when storage_availability_zone changed', () =>
    given([registered()])
      .when(register('az2', T1))
      .then([registered('az2', T1)]));
  it('keeps an admin’s disable across restarts', () =>
    given([registered(), disabled('maintenance')])
      .when(register('nova', T1))
      .thenState((s) => expect(s).toMatchObject({ disabled: true, disabledReason: 'maintenance' })));
  it('refuses a zone longer than Cinder’s column', () =>
    given([])
      .when(register('z'.repeat(256)))
      .thenThrows(InvalidInput));
});

describe('DisableService', () => {
  it('disables with a reason', () =>
    given([registered()])
      .when(disable('maintenance'))
      .then([disabled('maintenance')]));
  it('disables without one', () =>
    given([registered()])
      .when(disable())
      .then([disabled(null)]));
  it('keeps the reason recorded before on a plain disable, as Cinder does', () =>
    given([registered(), disabled('maintenance'), enabled])
      .when(disable())
      .then([disabled('maintenance')]));
  it('records nothing when the service is already disabled for the same reason', () =>
    given([registered(), disabled('maintenance')])
      .when(disable('maintenance'))
      .then([]));
  it('clears the reason on disable-log-reason without one, as Cinder does', () =>
    given([registered(), disabled('maintenance')])
      .when(disable(null))
      .then([disabled(null)]));
  it('records a new reason', () =>
    given([registered(), disabled('maintenance')])
      .when(disable('disk swap'))
      .then([disabled('disk swap')]));
  it("refuses a service that never registered with Cinder's ServiceNotFound", () =>
    given([]).when(disable()).thenThrows(ServiceNotFound, 'Service cinder-backup could not be found on host node-1.'));
});

describe('EnableService', () => {
  it('enables a disabled service', () =>
    given([registered(), disabled(null)])
      .when(enable)
      .then([enabled]));
  it('records nothing for an enabled one', () => given([registered()]).when(enable).then([]));
  it('refuses a service that never registered', () => given([]).when(enable).thenThrows(ServiceNotFound));
});

describe('isServiceUp', () => {
  it('is up while the last heartbeat is at most service_down_time old', () => {
    expect(isServiceUp('2026-12-04T10:00:00.000Z', '2026-12-04T10:01:00.000Z', 60)).toBe(true);
    expect(isServiceUp('2026-12-04T10:00:00.000Z', '2026-12-04T10:01:00.001Z', 60)).toBe(false);
  });
  it('counts a heartbeat from a clock slightly ahead as up', () =>
    expect(isServiceUp('2026-12-04T10:00:05.000Z', '2026-12-04T10:00:00.000Z', 60)).toBe(true));
});

import { assertNever, type Decider } from '../decider';
import { checkedDecider } from '../schema/checked-decider';
import type { ServiceCommand } from './service.commands';
import { ServiceNotFound } from './service.errors';
import type { ServiceEvent } from './service.events';
import { evolveService, initialServiceState, type ServiceState } from './service.state';

/**
 * A service's life on its own stream (`service-<binary>-<host>`): registered by the process that runs
 * it, disabled and enabled by an admin. Only changes are recorded: a second registration in the same
 * zone, a disable of a disabled service with the same reason, an enable of an enabled one record nothing,
 * so restarts and repeated commands do not grow the log.
 */
export const decideService = (command: ServiceCommand, state: ServiceState): ServiceEvent[] => {
  const { host, binary, now } = command.data;
  switch (command.type) {
    case 'RegisterService':
      if (state.registered && state.zone === command.data.zone) return [];
      return [{ type: 'ServiceRegistered', data: { host, binary, zone: command.data.zone, registeredAt: now } }];
    case 'DisableService': {
      if (!state.registered) throw new ServiceNotFound(binary, host);
      const disabledReason = command.data.reason === undefined ? state.disabledReason : command.data.reason;
      if (state.disabled && disabledReason === state.disabledReason) return [];
      return [{ type: 'ServiceDisabled', data: { host, binary, disabledReason, disabledAt: now } }];
    }
    case 'EnableService':
      if (!state.registered) throw new ServiceNotFound(binary, host);
      if (!state.disabled) return [];
      return [{ type: 'ServiceEnabled', data: { host, binary, enabledAt: now } }];
    default:
      return assertNever(command);
  }
};

export const serviceDecider: Decider<ServiceCommand, ServiceState, ServiceEvent> = checkedDecider({
  decide: decideService,
  evolve: evolveService,
  initialState: initialServiceState,
});

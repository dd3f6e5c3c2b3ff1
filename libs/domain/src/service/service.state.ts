import type { ServiceEvent } from './service.events';

export interface ServiceState {
  readonly registered: boolean;
  readonly zone: string | null;
  readonly disabled: boolean;
  readonly disabledReason: string | null;
}

export const initialServiceState = (): ServiceState => ({ registered: false, zone: null, disabled: false, disabledReason: null });

export const evolveService = (state: ServiceState, event: ServiceEvent): ServiceState => {
  switch (event.type) {
    case 'ServiceRegistered':
      return { ...state, registered: true, zone: event.data.zone };
    case 'ServiceDisabled':
      return { ...state, disabled: true, disabledReason: event.data.disabledReason };
    case 'ServiceEnabled':
      return { ...state, disabled: false };
  }
};

import { serviceBeaconKey, serviceDecider, serviceStreamId, type ServiceBinary, type ServiceCommand } from '@strata/domain';
import { decideAndAppend, type EventStore } from '@strata/event-store';
import { randomUUID } from 'node:crypto';

export interface ServiceReporterOptions {
  readonly store: EventStore;
  readonly binary: ServiceBinary;
  readonly host: string;
  readonly zone: string;
  /** Cinder's `report_interval`, in milliseconds. */
  readonly reportIntervalMs: number;
  readonly now: () => Date;
  /** Told when a heartbeat could not be written (the store is away): the next one tries again. */
  readonly warn: (message: string) => void;
}

/**
 * What Cinder's `Service.start` and `report_state` do for one process: register the service (an event
 * on its stream, only when it is new or moved zone) and then beat every `report_interval` (a beacon
 * beside the log, not an event, so that a running service costs the log nothing).
 */
export class ServiceReporter {
  private timer: NodeJS.Timeout | null = null;
  private beating: Promise<void> = Promise.resolve();

  constructor(private readonly options: ServiceReporterOptions) {}

  get binary(): ServiceBinary {
    return this.options.binary;
  }

  get host(): string {
    return this.options.host;
  }

  async start(): Promise<void> {
    const { store, binary, host, zone, now } = this.options;
    const command: ServiceCommand = { type: 'RegisterService', data: { host, binary, zone, now: now().toISOString() } };
    const id = randomUUID();
    const meta = { correlationId: `service-${id}`, causationId: id, requestId: id, userId: 'strata-service', projectId: 'strata' };
    await decideAndAppend(store, serviceStreamId(binary, host), serviceDecider, command, meta);
    await this.beat();
    this.timer = setInterval(() => {
      this.beating = this.beat().catch((error: unknown) =>
        this.options.warn(`heartbeat of ${binary} on ${host} failed: ${(error as Error).message}`),
      );
    }, this.options.reportIntervalMs);
    this.timer.unref();
  }

  /** Stops beating (the service goes down once service_down_time has passed), after a beat in flight. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.beating;
  }

  private beat(): Promise<void> {
    return this.options.store.writeBeacon(serviceBeaconKey(this.options.binary, this.options.host), this.options.now().toISOString());
  }
}

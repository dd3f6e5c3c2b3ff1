import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CATALOG, type Catalog } from '@strata/catalog';
import { serviceDecider, ServiceNotFound, serviceStreamId, type ServiceCommand } from '@strata/domain';
import { decideAndAppend, EVENT_STORE, type EventStore } from '@strata/event-store';
import type { RequestContext } from '../../context/request-context';
import { eventMetaOf } from '../../shared/event-meta';

export interface ChangeServiceRequest {
  readonly action: 'enable' | 'disable';
  /** As given: Cinder matches it like its host filter (`node1` finds `node1@file`). */
  readonly host: string;
  readonly binary: string;
  /** Only with disable-log-reason (null: none given, which clears the reason). */
  readonly reason?: string | null;
  readonly now: string;
}

export class ChangeServiceCommand extends Command<{ position: bigint }> {
  constructor(
    readonly request: ChangeServiceRequest,
    readonly ctx: RequestContext,
  ) {
    super();
  }
}

/**
 * `PUT /os-services/{enable,disable,disable-log-reason}`: finds the service as Cinder's
 * `Service.get_by_args` does (the first whose host matches and whose binary is the one named) and records
 * the change on its stream. A service that never registered is Cinder's 404 naming host and binary.
 */
@CommandHandler(ChangeServiceCommand)
export class ChangeServiceHandler implements ICommandHandler<ChangeServiceCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CATALOG) private readonly catalog: Catalog,
  ) {}

  async execute({ request: r, ctx }: ChangeServiceCommand): Promise<{ position: bigint }> {
    const [service] = this.catalog.listServices({ host: r.host, binary: r.binary });
    if (!service) throw new ServiceNotFound(r.binary, r.host);
    const data = { host: service.host, binary: service.binary, now: r.now };
    const command: ServiceCommand =
      r.action === 'enable'
        ? { type: 'EnableService', data }
        : { type: 'DisableService', data: { ...data, ...(r.reason === undefined ? {} : { reason: r.reason }) } };
    const appended = await decideAndAppend(
      this.store,
      serviceStreamId(service.binary, service.host),
      serviceDecider,
      command,
      eventMetaOf(ctx),
    );
    return { position: appended.position };
  }
}

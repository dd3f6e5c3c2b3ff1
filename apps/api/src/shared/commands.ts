import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, type Command } from '@nestjs/cqrs';
import { CATALOG, type Catalog } from '@strata/catalog';

/** What every command handler answers: the global position of its last append. */
export interface Positioned {
  readonly position: bigint;
}

/**
 * The write side as a client sees it: executes a command and resolves once the catalog shows its
 * effects (read-your-writes), so a route reads back what it has just written. The one place that waits.
 */
@Injectable()
export class Commands {
  constructor(
    private readonly bus: CommandBus,
    @Inject(CATALOG) private readonly catalog: Catalog,
  ) {}

  async execute<R extends Positioned>(command: Command<R>, { catalogWaitMs }: { catalogWaitMs?: number } = {}): Promise<R> {
    const result = await this.bus.execute(command);
    if (result.position > 0n) await this.catalog.waitForPosition(result.position, catalogWaitMs);
    return result;
  }
}

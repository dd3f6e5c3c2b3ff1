import type { EventMeta } from '@strata/domain';
import type { RequestContext } from '../context/request-context';

/** Every event records who asked, in which project, from which request, as part of which flow. */
export const eventMetaOf = (ctx: RequestContext): EventMeta => ({
  correlationId: ctx.correlationId,
  causationId: ctx.requestId,
  userId: ctx.userId,
  projectId: ctx.projectId,
  requestId: ctx.requestId,
});

/** What a command handler returns: the entity and the global position to wait for before answering. */
export interface Appended {
  readonly id: string;
  readonly position: bigint;
}

import { Controller, Delete, Get, HttpCode, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CATALOG, MESSAGE_SORT_KEYS, type Catalog, type MessageVisibility } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { MessageNotFound } from '@strata/domain';
import type { Request } from 'express';
import { Ctx } from '../context/ctx.decorator';
import { atLeast } from '../context/microversion';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';
import { ApiDoc, ApiQueryOf } from '../operations/api-doc';
import { Commands } from '../shared/commands';
import { nextLinks } from '../shared/cinder-view';
import { itemScopeOf } from '../shared/scope';
import { CLOCK, type Clock } from '../tokens';
import { ListQueryParams, parseListQuery } from '../validation/list-query';
import { DeleteMessageCommand } from './commands/delete-message.handler';
import { messageListFilters } from './message-list-filters';
import { messageView } from './message.presenter';

/** Below 3.3 the route does not exist for Cinder: its 404 with no reason. */
const requireMessages = (ctx: RequestContext) => {
  if (!atLeast(ctx.microversion, '3.3')) throw HttpFault.notFound('The resource could not be found.');
};

/**
 * Cinder's user messages (3.3): what went wrong with a request that was accepted and failed later
 * (a backup, a restore, a deletion, a volume or snapshot creation). Derived from the failure events;
 * a message expires `message_ttl` seconds after it was created.
 */
@ApiTags('Messages')
@Controller(['v3/messages', 'v3/:projectId/messages'])
export class MessagesController {
  constructor(
    private readonly commands: Commands,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
  ) {}

  @Get()
  @ApiDoc('List user messages (≥ 3.3; filters, sort and paging ≥ 3.5)', { 200: 'MessageList', 400: 'Fault', 404: 'Fault' })
  @ApiQueryOf(ListQueryParams)
  async list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>, @Req() req: Request) {
    requireMessages(ctx);
    authorize(ctx, 'message:get_all');
    // Before 3.5 Cinder's list reads no parameter at all: every message the caller may see.
    const paged = atLeast(ctx.microversion, '3.5');
    const q = paged
      ? await parseListQuery(query, { maxLimit: this.options.osapi_max_limit, sortKeys: MESSAGE_SORT_KEYS })
      : { limit: this.options.osapi_max_limit, marker: null, offset: 0, sort: [], filters: {} };
    const filters = messageListFilters(ctx, q.filters);
    // Cinder's list is not scoped for an admin (message_get_all reads every project), a member's is its project.
    const scope = { projectId: ctx.projectId, allProjects: ctx.isAdmin };
    const page = filters
      ? this.catalog.listMessages({
          filters,
          sort: q.sort,
          limit: q.limit,
          marker: q.marker,
          offset: q.offset,
          scope,
          visibility: this.visibility(),
        })
      : { rows: [], total: 0 };
    const body: Record<string, unknown> = { messages: page.rows.map((m) => messageView(ctx, m, this.options.message_ttl)) };
    if (paged && page.rows.length > 0 && page.rows.length >= q.limit)
      Object.assign(body, nextLinks(ctx, req.path, query, 'messages', page.rows[page.rows.length - 1].id));
    return body;
  }

  @Get(':messageId')
  @ApiDoc('Show a user message (≥ 3.3)', { 200: 'MessageEnvelope', 404: 'Fault' })
  show(@Ctx() ctx: RequestContext, @Param('messageId') messageId: string) {
    requireMessages(ctx);
    const message = this.catalog.getMessage(messageId.toLowerCase(), itemScopeOf(ctx), this.visibility());
    if (!message) throw new MessageNotFound(messageId);
    authorize(ctx, 'message:get');
    return { message: messageView(ctx, message, this.options.message_ttl) };
  }

  @Delete(':messageId')
  @ApiDoc('Delete a user message (≥ 3.3)', { 204: null, 404: 'Fault' })
  @HttpCode(204)
  async remove(@Ctx() ctx: RequestContext, @Param('messageId') messageId: string): Promise<void> {
    requireMessages(ctx);
    authorize(ctx, 'message:delete');
    await this.commands.execute(new DeleteMessageCommand(messageId, this.clock.now().toISOString(), this.visibility(), ctx));
  }

  private visibility(): MessageVisibility {
    return { createdSince: new Date(this.clock.now().getTime() - this.options.message_ttl * 1000).toISOString() };
  }
}

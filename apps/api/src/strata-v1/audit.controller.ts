import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { CATALOG, type AuditRow, type Catalog } from '@strata/catalog';
import { loggedEventsOf } from './audit-event-data';
import { BackupNotFound } from '@strata/domain';
import { EVENT_STORE, type EventStore } from '@strata/event-store';
import type { Request, Response } from 'express';
import { backupDetailSelect } from '../backups/backup-detail.sql';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';
import { listScopeOf } from '../shared/scope';
import { auditEventView } from './audit-event.presenter';
import {
  AsOfParams,
  BackupEventsParams,
  EventsParams,
  nextEventsLink,
  parseBackupEventsQuery,
  parseEventsQuery,
  parseTime,
} from './audit-query';
import { validateQuery } from '../validation/query-fields';
import { jsonListChunks, streamTo } from './stream-response';
import { ApiDoc, ApiQueryOf } from '../operations/api-doc';
import { ApiTags } from '@nestjs/swagger';

const TRUTHY = ['1', 't', 'true', 'on', 'y', 'yes'];

/**
 * Who did what, when, from which request: a backup's history (its project's readers), the whole log
 * filtered (admins), and the backups as they stood at a past time, from the catalog's backup history.
 */
@ApiTags('Strata')
@Controller('strata/v1')
export class AuditController {
  constructor(
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('backups/:backupId/events')
  @ApiDoc("A backup's whole history (deleted backups included), oldest first", { 200: 'EventList', 400: 'Fault', 404: 'Fault' })
  @ApiQueryOf(BackupEventsParams)
  async backupEvents(
    @Ctx() ctx: RequestContext,
    @Param('backupId') backupId: string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
  ) {
    authorize(ctx, 'backup:get');
    const page = await parseBackupEventsQuery(query);
    const backup = this.catalog.backupRelations(backupId);
    // Deleted backups keep their history; another project's backup does not exist for this caller.
    if (!backup || (!ctx.isAdmin && backup.projectId !== ctx.projectId)) throw new BackupNotFound(backupId);
    const rows = this.catalog.eventsOfEntity('backup', backupId, page);
    return {
      backup_id: backupId,
      events: await this.viewsOf(rows),
      ...(rows.length === page.limit
        ? { events_links: nextEventsLink(ctx.baseUrl, req.path, query, rows[rows.length - 1]!.position) }
        : {}),
    };
  }

  @Get('events')
  @ApiDoc('The global log, filtered (admin)', { 200: 'EventList', 400: 'Fault', 403: 'Fault' })
  @ApiQueryOf(EventsParams)
  async events(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>, @Req() req: Request) {
    authorize(ctx, 'strata:audit');
    const filter = await parseEventsQuery(query);
    const rows = this.catalog.eventsInLog(filter);
    return {
      events: await this.viewsOf(rows),
      ...(rows.length === filter.limit
        ? { events_links: nextEventsLink(ctx.baseUrl, req.path, query, rows[rows.length - 1]!.position) }
        : {}),
    };
  }

  private async viewsOf(rows: readonly AuditRow[]) {
    const logged = await loggedEventsOf(this.store, rows);
    return rows.map((row) => auditEventView(row, logged));
  }

  /**
   * Same body as `/v3/backups/detail` (every backup, no paging), plus `as_of`: each backup's JSON written by
   * SQLite (`backupDetailSelect`), streamed a window at a time.
   */
  @Get('backups')
  @ApiDoc('The backups as they stood at a past time, from the history the catalog keeps', { 200: 'BackupList', 400: 'Fault' })
  @ApiQueryOf(AsOfParams)
  async backupsAsOf(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    authorize(ctx, 'backup:get_all');
    const params = await validateQuery(AsOfParams, query);
    if (params.as_of === undefined) throw HttpFault.badRequest('as_of is required: the ISO 8601 time to show the catalog at.');
    const asOf = parseTime('as_of', params.as_of)!;
    const allTenants = params.all_tenants !== undefined && TRUTHY.includes(params.all_tenants.toLowerCase());
    const views = this.catalog.backupsAsOfSelected(new Date(asOf), listScopeOf(ctx, allTenants), backupDetailSelect(ctx));
    await streamTo(res, 'application/json', jsonListChunks({ as_of: asOf }, 'backups', views));
  }
}

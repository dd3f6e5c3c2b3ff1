import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, Req } from '@nestjs/common';
import { CATALOG, type Catalog } from '@strata/catalog';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import { BackupNotFound } from '@strata/domain';
import type { Request } from 'express';
import { Ctx } from '../context/ctx.decorator';
import { atLeast } from '../context/microversion';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';
import { listResponse } from '../shared/list-response';
import { itemScopeOf, listScopeOf } from '../shared/scope';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../tokens';
import { backupListFilters } from './backup-list-filters';
import { backupDetail, backupSummary } from './backup.presenter';
import { CinderBody } from '../validation/cinder-body';
import { ListQueryParams, parseListQuery } from '../validation/list-query';
import { uuidOf } from '../validation/request-values';
import {
  BACKUP_CREATE_BODIES,
  BACKUP_RESTORE_BODY,
  BACKUP_UPDATE_BODIES,
  createBackupRequest,
  updateBackupRequest,
  type BackupCreateV351,
  type BackupRestore,
  type BackupUpdateV343,
} from './backup-requests.dto';
import { CreateBackupCommand } from './commands/create-backup.handler';
import { DeleteBackupCommand } from './commands/delete-backup.handler';
import { RestoreBackupCommand } from './commands/restore-backup.handler';
import { UpdateBackupCommand } from './commands/update-backup.handler';
import { ApiDoc, ApiQueryOf } from '../operations/api-doc';
import { ApiTags } from '@nestjs/swagger';
import { Commands } from '../shared/commands';

/** `display_name` is Cinder's column, sortable at every microversion; `name` only from 3.37. */
const SORT_KEYS = [
  'created_at',
  'id',
  'status',
  'size',
  'updated_at',
  'volume_id',
  'data_timestamp',
  'availability_zone',
  'container',
  'project_id',
  'display_name',
];

/** Cinder's backup routes, with and without the project id in the path. */
@ApiTags('Backups')
@Controller(['v3/backups', 'v3/:projectId/backups'])
export class BackupsController {
  constructor(
    private readonly commands: Commands,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
  ) {}

  @Get()
  @ApiDoc('List backups (summary view)', { 200: 'BackupSummaryList', 400: 'Fault' })
  @ApiQueryOf(ListQueryParams)
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>, @Req() req: Request) {
    return this.listBackups(ctx, query, req, (b) => backupSummary(ctx, b));
  }

  @Get('detail')
  @ApiDoc('List backups with every field', { 200: 'BackupList', 400: 'Fault' })
  @ApiQueryOf(ListQueryParams)
  detail(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>, @Req() req: Request) {
    return this.listBackups(ctx, query, req, (b) => backupDetail(ctx, b));
  }

  @Get(':backupId')
  @ApiDoc('Show a backup', { 200: 'BackupEnvelope', 404: 'Fault' })
  show(@Ctx() ctx: RequestContext, @Param('backupId') backupId: string) {
    authorize(ctx, 'backup:get');
    return { backup: backupDetail(ctx, this.findBackup(ctx, backupId)) };
  }

  @Post()
  @ApiDoc('Create a backup (full, incremental, of a snapshot, forced for in-use volumes)', {
    202: 'BackupSummaryEnvelope',
    400: 'Fault',
    404: 'Fault',
  })
  @HttpCode(202)
  async create(@Ctx() ctx: RequestContext, @CinderBody(BACKUP_CREATE_BODIES) body: { backup: BackupCreateV351 }) {
    authorize(ctx, 'backup:create');
    const request = createBackupRequest(body.backup);
    const backupId = this.ids.newId();
    await this.commands.execute(new CreateBackupCommand({ ...request, backupId, now: this.clock.now().toISOString() }, ctx));
    return { backup: backupSummary(ctx, this.findBackup(ctx, backupId)) };
  }

  @Put(':backupId')
  @ApiDoc('Update name, description or metadata (microversion ≥ 3.9)', { 200: 'BackupSummaryEnvelope', 400: 'Fault', 404: 'Fault' })
  async update(
    @Ctx() ctx: RequestContext,
    @Param('backupId') backupId: string,
    @CinderBody(BACKUP_UPDATE_BODIES) body: { backup: BackupUpdateV343 | null },
  ) {
    if (!atLeast(ctx.microversion, '3.9')) throw HttpFault.notFound('The resource could not be found.');
    authorize(ctx, 'backup:update');
    const changes = updateBackupRequest(body.backup);
    const appended = await this.commands.execute(new UpdateBackupCommand({ backupId, ...changes }, this.clock.now().toISOString(), ctx));
    return { backup: backupSummary(ctx, this.findBackup(ctx, appended.id)) };
  }

  @Delete(':backupId')
  @ApiDoc('Delete a backup (refused while incrementals depend on it)', { 202: null, 400: 'Fault', 404: 'Fault' })
  @HttpCode(202)
  async remove(@Ctx() ctx: RequestContext, @Param('backupId') backupId: string): Promise<void> {
    authorize(ctx, 'backup:delete');
    await this.commands.execute(new DeleteBackupCommand(backupId, false, this.clock.now().toISOString(), ctx));
  }

  @Post(':backupId/restore')
  @ApiDoc('Restore into an existing volume, or into a new one', { 202: 'RestoreEnvelope', 400: 'Fault', 404: 'Fault' })
  @HttpCode(202)
  async restore(
    @Ctx() ctx: RequestContext,
    @Param('backupId') backupId: string,
    @CinderBody(BACKUP_RESTORE_BODY) body: { restore: BackupRestore | null },
  ) {
    authorize(ctx, 'backup:restore');
    const volumeId = uuidOf(body.restore?.volume_id) ?? null;
    const name = body.restore?.name ?? null;
    const accepted = await this.commands.execute(
      new RestoreBackupCommand(
        {
          backupId,
          volumeId,
          name,
          newVolumeId: this.ids.newId(),
          now: this.clock.now().toISOString(),
        },
        ctx,
      ),
    );
    return { restore: { backup_id: accepted.id, volume_id: accepted.volumeId, volume_name: accepted.volumeName } };
  }

  private findBackup(ctx: RequestContext, backupId: string) {
    const backup = this.catalog.getBackup(backupId, itemScopeOf(ctx));
    if (!backup) throw new BackupNotFound(backupId);
    return backup;
  }

  private async listBackups<V>(
    ctx: RequestContext,
    query: Record<string, unknown>,
    req: Request,
    view: (b: Parameters<typeof backupDetail>[1]) => V,
  ) {
    authorize(ctx, 'backup:get_all');
    const sortKeys = atLeast(ctx.microversion, '3.37') ? [...SORT_KEYS, 'name'] : SORT_KEYS;
    const q = await parseListQuery(query, { maxLimit: this.options.osapi_max_limit, sortKeys });
    const filters = backupListFilters(ctx, q.filters);
    const { rows, total } =
      filters === null
        ? { rows: [], total: 0 }
        : this.catalog.listBackups({
            filters,
            sort: q.sort,
            limit: q.limit,
            marker: q.marker,
            offset: q.offset,
            scope: listScopeOf(ctx, q.allTenants),
            withCount: q.withCount,
          });
    return listResponse(ctx, { path: req.path, query, list: q }, 'backups', { rows, total }, view);
  }
}

import { Controller, Get, HttpCode, Inject, Post, Query, Req, Res } from '@nestjs/common';
import {
  CATALOG,
  exportHistory,
  HistoryConflict,
  importHistory,
  InvalidHistoryFile,
  type Catalog,
  type HistorySelection,
} from '@strata/catalog';
import { EVENT_STORE, type EventStore } from '@strata/event-store';
import { STRATA_OPTIONS, type StrataOptions } from '@strata/config';
import type { Request, Response } from 'express';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';
import { CLOCK, type Clock } from '../tokens';
import { QueryField, validateQuery, type QueryValue } from '../validation/query-fields';
import { spoolUpload, SpoolSpaceExhausted } from './history-upload';
import { streamTo } from './stream-response';
import { ApiDoc, ApiQueryOf } from '../operations/api-doc';
import { ApiTags } from '@nestjs/swagger';

export const HISTORY_CONTENT_TYPE = 'application/x-ndjson';
/** An import may append a whole catalog: the read side gets longer than a command's wait to show it. */
const IMPORT_CATALOG_WAIT_MS = 10 * 60_000;
/** From this many new events on, an import's projection runs on a thread beside its appends (starting one costs about 0.1 s). */
const IMPORT_ON_A_THREAD_EVENTS = 20_000;

const TRUTHY = ['1', 't', 'true', 'on', 'y', 'yes'];

/** `GET /strata/v1/catalog/export`: the backups to carry out (repeated or comma-separated), or all of them. */
export class ExportParams {
  @QueryField(() => null, { type: 'string', description: 'Backup ids, comma-separated or repeated' }) backup_id?: QueryValue;
  @QueryField((_, all) => (all.length > 1 ? 'all may be given once.' : null), { type: 'boolean' }) all?: string;
}

const selectionOf = (query: ExportParams): HistorySelection => {
  const all = query.all !== undefined && TRUTHY.includes(query.all.toLowerCase());
  const raw = query.backup_id === undefined ? [] : Array.isArray(query.backup_id) ? query.backup_id : [query.backup_id];
  const backupIds = raw
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (all && backupIds.length > 0) throw HttpFault.badRequest('Give either backup_id or all=true, not both.');
  if (all) return { all: true };
  if (backupIds.length === 0) throw HttpFault.badRequest('Say what to export: one or more backup_id, or all=true.');
  return { backupIds: [...new Set(backupIds)] };
};

/** The admin's catalog tools: carry history out and in, and rebuild the read models from the log. */
@ApiTags('Strata')
@Controller('strata/v1/catalog')
export class CatalogAdminController {
  constructor(
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(STRATA_OPTIONS) private readonly options: StrataOptions,
  ) {}

  /** The events of the chosen backups (with their parent chains, volumes and snapshots), or of everything. */
  @Get('export')
  @ApiDoc(
    'The history file of chosen backups, or of everything (admin, NDJSON)',
    { 200: null, 400: 'Fault', 403: 'Fault', 404: 'Fault' },
    { produces: 'application/x-ndjson' },
  )
  @ApiQueryOf(ExportParams)
  async export(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>, @Res() res: Response): Promise<void> {
    authorize(ctx, 'strata:catalog_export');
    const selection = selectionOf(await validateQuery(ExportParams, query));
    const streams = 'all' in selection ? null : this.catalog.historyStreamsOf(selection.backupIds);
    const exportedAt = this.clock.now().toISOString();
    res.setHeader('Content-Disposition', `attachment; filename="strata-catalog-${exportedAt.replace(/[:.]/g, '-')}.ndjson"`);
    await streamTo(res, HISTORY_CONTENT_TYPE, exportHistory(this.store, { selection, streams, exportedAt }));
  }

  /** A file from `export`, as an `application/x-ndjson` body: checked whole, then only what is new appended. */
  @Post('import')
  @ApiDoc('Import a history file (admin, NDJSON body; every event checked before any is appended)', {
    200: null,
    400: 'Fault',
    403: 'Fault',
    409: 'Fault',
    413: 'Fault',
    415: 'Fault',
  })
  @HttpCode(200)
  async import(@Ctx() ctx: RequestContext, @Req() req: Request) {
    authorize(ctx, 'strata:catalog_import');
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== HISTORY_CONTENT_TYPE)
      throw new HttpFault(415, `Send the catalog file as ${HISTORY_CONTENT_TYPE}, not '${type || 'no content type'}'.`);
    const upload = await spoolUpload(req, { root: join(this.options.state_path, 'import-spool') }).catch((error: unknown) => {
      throw error instanceof SpoolSpaceExhausted ? new HttpFault(413, error.message) : error;
    });
    try {
      const result = await importHistory(this.store, upload.openLines, {
        now: () => this.clock.now(),
        // A large file's events are projected on a thread while they are appended (two cores, not one).
        appending: (events, append) => (events >= IMPORT_ON_A_THREAD_EVENTS ? this.catalog.projectingOnThread(events, append) : append()),
      });
      if (result.position > 0n) await this.catalog.waitForPosition(result.position, IMPORT_CATALOG_WAIT_MS);
      return {
        import: {
          format: result.header.format,
          version: result.header.version,
          exported_at: result.header.exportedAt,
          selection: result.header.selection,
          events: result.events,
          streams: result.streams,
          appended: result.appended,
          already_present: result.alreadyPresent,
          import_id: result.importId,
        },
      };
    } catch (error) {
      if (error instanceof InvalidHistoryFile) throw HttpFault.badRequest(error.message);
      if (error instanceof HistoryConflict) throw new HttpFault(409, error.message);
      throw error;
    } finally {
      upload.dispose();
    }
  }

  /** Drops every read model and replays the log; the service keeps answering from the old ones meanwhile. */
  @Post('rebuild')
  @ApiDoc('Drop every read model and replay the log, retrying parked events (admin)', { 200: null, 403: 'Fault' })
  @HttpCode(200)
  async rebuild(@Ctx() ctx: RequestContext) {
    authorize(ctx, 'strata:catalog_rebuild');
    const started = performance.now();
    const position = await this.catalog.rebuild();
    return { rebuild: { position: Number(position), duration_ms: Math.round(performance.now() - started) } };
  }
}

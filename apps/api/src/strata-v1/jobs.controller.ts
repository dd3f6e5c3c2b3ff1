import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { CATALOG, type Catalog } from '@strata/catalog';
import { BackupNotFound } from '@strata/domain';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';
import { itemScopeOf, listScopeOf } from '../shared/scope';
import { jobView, progressView } from './job.presenter';
import { QueryField, validateQuery } from '../validation/query-fields';
import { ApiDoc, ApiQueryOf } from '../operations/api-doc';
import { ApiTags } from '@nestjs/swagger';

const TRUTHY = ['1', 'true', 'yes'];

/** `GET /strata/v1/jobs`: every project's jobs for an admin who asks. */
export class JobsParams {
  @QueryField((_, all) => (all.length > 1 ? 'all_tenants may be given once.' : null), { type: 'boolean' }) all_tenants?: string;
}

/** Running backups and restores with their progress (the jobs read model), scoped like the backups. */
@ApiTags('Strata')
@Controller('strata/v1')
export class JobsController {
  constructor(@Inject(CATALOG) private readonly catalog: Catalog) {}

  @Get('jobs')
  @ApiDoc('Running backups and restores with their progress', { 200: 'JobList' })
  @ApiQueryOf(JobsParams)
  async list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>) {
    authorize(ctx, 'backup:get_all');
    const { all_tenants: allTenants } = await validateQuery(JobsParams, query);
    return {
      jobs: this.catalog.listJobs(listScopeOf(ctx, allTenants !== undefined && TRUTHY.includes(allTenants.toLowerCase()))).map(jobView),
    };
  }

  @Get('jobs/:backupId')
  @ApiDoc('The job running on a backup (its backup or a restore from it)', { 200: 'JobEnvelope', 404: 'Fault' })
  show(@Ctx() ctx: RequestContext, @Param('backupId') backupId: string) {
    authorize(ctx, 'backup:get');
    this.findBackup(ctx, backupId);
    const job = this.catalog.getJob(backupId);
    if (!job) throw HttpFault.notFound(`No job is running on backup ${backupId}.`);
    return { job: jobView(job) };
  }

  @Get('backups/:backupId/progress')
  @ApiDoc("A backup's status and its running job: what `strata … --wait` polls", { 200: 'ProgressEnvelope', 404: 'Fault' })
  progress(@Ctx() ctx: RequestContext, @Param('backupId') backupId: string) {
    authorize(ctx, 'backup:get');
    const backup = this.findBackup(ctx, backupId);
    return { progress: progressView(backup, this.catalog.getJob(backupId)) };
  }

  private findBackup(ctx: RequestContext, backupId: string) {
    const backup = this.catalog.getBackup(backupId, itemScopeOf(ctx));
    if (!backup) throw new BackupNotFound(backupId);
    return backup;
  }
}

import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { CATALOG, type Catalog } from '@strata/catalog';
import { BackupNotFound } from '@strata/domain';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';
import { itemScopeOf, listScopeOf } from '../shared/scope';
import { jobView, progressView } from './job.presenter';

const truthy = (v: unknown) => typeof v === 'string' && ['1', 'true', 'yes'].includes(v.toLowerCase());

/** Running backups and restores with their progress (the jobs read model), scoped like the backups. */
@Controller('strata/v1')
export class JobsController {
  constructor(@Inject(CATALOG) private readonly catalog: Catalog) {}

  @Get('jobs')
  list(@Ctx() ctx: RequestContext, @Query('all_tenants') allTenants?: string) {
    authorize(ctx, 'backup:get_all');
    return { jobs: this.catalog.listJobs(listScopeOf(ctx, truthy(allTenants))).map(jobView) };
  }

  @Get('jobs/:backupId')
  show(@Ctx() ctx: RequestContext, @Param('backupId') backupId: string) {
    authorize(ctx, 'backup:get');
    this.findBackup(ctx, backupId);
    const job = this.catalog.getJob(backupId);
    if (!job) throw HttpFault.notFound(`No job is running on backup ${backupId}.`);
    return { job: jobView(job) };
  }

  @Get('backups/:backupId/progress')
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

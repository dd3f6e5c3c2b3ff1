import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CATALOG, type Catalog } from '@strata/catalog';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { HttpFault } from '../errors/cinder-fault';
import { CLOCK, type Clock } from '../tokens';
import { parseAction, parseResetStatus } from './backup-request.schema';
import { DeleteBackupCommand } from './commands/delete-backup.handler';
import { ResetBackupStatusCommand } from './commands/reset-backup-status.handler';

/** POST …/backups/{id}/action: one branch per action key, all admin. */
@Controller(['v3/backups/:backupId/action', 'v3/:projectId/backups/:backupId/action'])
export class BackupActionsController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(CATALOG) private readonly catalog: Catalog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @HttpCode(202)
  async act(@Ctx() ctx: RequestContext, @Param('backupId') backupId: string, @Body() body: unknown): Promise<void> {
    const { action, value } = parseAction(body);
    const now = this.clock.now().toISOString();
    switch (action) {
      case 'os-reset_status': {
        authorize(ctx, 'volume_extension:backup_admin_actions:reset_status');
        const status = parseResetStatus(value);
        const appended = await this.commandBus.execute(new ResetBackupStatusCommand(backupId, status, now, ctx));
        return this.catalog.waitForPosition(appended.position);
      }
      case 'os-force_delete': {
        authorize(ctx, 'volume_extension:backup_admin_actions:force_delete');
        authorize(ctx, 'backup:delete');
        const appended = await this.commandBus.execute(new DeleteBackupCommand(backupId, true, now, ctx));
        return this.catalog.waitForPosition(appended.position);
      }
      default:
        throw HttpFault.badRequest(`There is no such action: ${action}`);
    }
  }
}

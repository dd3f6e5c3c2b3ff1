import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { CLOCK, type Clock } from '../tokens';
import { actionOf, noSuchAction } from '../validation/action-body';
import { validateBody } from '../validation/cinder-body';
import { BACKUP_FORCE_DELETE_BODY, BACKUP_RESET_STATUS_BODY } from './backup-requests.dto';
import { DeleteBackupCommand } from './commands/delete-backup.handler';
import { ResetBackupStatusCommand } from './commands/reset-backup-status.handler';
import { ApiDoc } from '../operations/api-doc';
import { ApiTags } from '@nestjs/swagger';
import { Commands } from '../shared/commands';

/** POST …/backups/{id}/action: one branch per action key, all admin. */
@ApiTags('Backups')
@Controller(['v3/backups/:backupId/action', 'v3/:projectId/backups/:backupId/action'])
export class BackupActionsController {
  constructor(
    private readonly commands: Commands,

    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post()
  @ApiDoc('Admin actions: os-reset_status {"status": "available"|"error"}, os-force_delete', {
    202: null,
    400: 'Fault',
    403: 'Fault',
    404: 'Fault',
  })
  @HttpCode(202)
  async act(@Ctx() ctx: RequestContext, @Param('backupId') backupId: string, @Body() body: unknown): Promise<void> {
    const action = actionOf(body);
    const now = this.clock.now().toISOString();
    switch (action) {
      case 'os-reset_status': {
        authorize(ctx, 'volume_extension:backup_admin_actions:reset_status');
        const { 'os-reset_status': reset } = await validateBody(BACKUP_RESET_STATUS_BODY, body);
        await this.commands.execute(new ResetBackupStatusCommand(backupId, reset.status, now, ctx));
        return;
      }
      case 'os-force_delete': {
        authorize(ctx, 'volume_extension:backup_admin_actions:force_delete');
        authorize(ctx, 'backup:delete');
        await validateBody(BACKUP_FORCE_DELETE_BODY, body);
        await this.commands.execute(new DeleteBackupCommand(backupId, true, now, ctx));
        return;
      }
      default:
        throw noSuchAction(action);
    }
  }
}

import { Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { RequestBackupVerificationCommand } from './commands/request-backup-verification.handler';
import { Ctx } from '../context/ctx.decorator';
import { authorize } from '../context/policy';
import type { RequestContext } from '../context/request-context';
import { CLOCK, ID_GENERATOR, type Clock, type IdGenerator } from '../tokens';
import { ApiDoc } from '../operations/api-doc';
import { ApiTags } from '@nestjs/swagger';
import { Commands } from '../shared/commands';

/**
 * POST /strata/v1/backups/{id}/verify: 202 at once, the worker reads the chain (minutes for a large
 * backup) and records BackupVerified or BackupVerificationFailed; the backup's detail view shows the
 * outcome as `strata:last_verification`.
 */
@ApiTags('Strata')
@Controller('strata/v1/backups')
export class BackupVerificationController {
  constructor(
    private readonly commands: Commands,

    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  @Post(':backupId/verify')
  @ApiDoc("Read the whole chain, check every object's md5 and every block's SHA-256, write nowhere (admin; a job)", {
    202: 'VerificationEnvelope',
    400: 'Fault',
    403: 'Fault',
    404: 'Fault',
  })
  @HttpCode(202)
  async verify(@Ctx() ctx: RequestContext, @Param('backupId') backupId: string) {
    authorize(ctx, 'strata:verify');
    const verificationId = this.ids.newId();
    const requestedAt = this.clock.now().toISOString();
    const appended = await this.commands.execute(new RequestBackupVerificationCommand(backupId, verificationId, requestedAt, ctx));
    return { verification: { backup_id: appended.id, verification_id: verificationId, result: 'running', requested_at: requestedAt } };
  }
}

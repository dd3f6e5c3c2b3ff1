import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { BackupChainsController } from './backup-chains.controller';
import { BackupVerificationController } from './backup-verification.controller';
import { CatalogAdminController } from './catalog-admin.controller';
import { CatalogFailuresController } from './catalog-failures.controller';
import { CatalogRecoveryController } from './catalog-recovery.controller';
import { RecoverCatalogHandler } from './commands/recover-catalog.handler';
import { RequestBackupVerificationHandler } from './commands/request-backup-verification.handler';
import { JobsController } from './jobs.controller';
import { KeystoneLoginController } from './keystone-login.controller';

/** `/strata/v1`: what Cinder lacks. Audits, the catalog's tools (export, import, rebuild, failures, recovery), jobs, chains, verification, the page's Keystone login. */
@Module({
  controllers: [
    AuditController,
    CatalogAdminController,
    CatalogFailuresController,
    CatalogRecoveryController,
    JobsController,
    BackupChainsController,
    BackupVerificationController,
    KeystoneLoginController,
  ],
  providers: [RecoverCatalogHandler, RequestBackupVerificationHandler],
})
export class StrataModule {}

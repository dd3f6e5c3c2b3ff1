import { Module } from '@nestjs/common';
import { ChangeQuotaHandler } from './commands/change-quota.handler';
import { QuotasController } from './quotas.controller';

/** Quotas, quota classes and limits; the claims themselves are taken by the creations (shared/quota-claims.ts). */
@Module({
  controllers: [QuotasController],
  providers: [ChangeQuotaHandler],
})
export class QuotasModule {}

import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { OpenApiDocumentHolder } from './openapi-builder';
import { OpenApiController } from './openapi.controller';
import { UiController } from './ui.controller';

/** What operators and their tools read without a token: health, readiness, metrics, the OpenAPI document, the web page. */
@Module({
  controllers: [HealthController, MetricsController, OpenApiController, UiController],
  providers: [OpenApiDocumentHolder],
  exports: [OpenApiDocumentHolder],
})
export class OperationsModule {}

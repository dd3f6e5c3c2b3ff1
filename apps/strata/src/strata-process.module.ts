import { Module, type DynamicModule } from '@nestjs/common';
import { AppModule } from '@strata/api/app.module';
import type { StrataOptions } from '@strata/config';
import { WorkerModule } from '@strata/worker';

/** The embedded process: the api and, unless `run_worker = false`, the worker, sharing one store and catalog. */
@Module({})
export class StrataProcessModule {
  static forRoot(options: StrataOptions): DynamicModule {
    return { module: StrataProcessModule, imports: [AppModule.forRoot(options), ...(options.run_worker ? [WorkerModule] : [])] };
  }
}

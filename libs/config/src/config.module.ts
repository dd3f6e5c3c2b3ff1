import { DynamicModule, Global, Module } from '@nestjs/common';
import type { StrataOptions } from './strata-options';

export const STRATA_OPTIONS = Symbol('STRATA_OPTIONS');

/** Makes the loaded options injectable everywhere; loading happens before Nest starts. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(options: StrataOptions): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: STRATA_OPTIONS, useValue: options }], exports: [STRATA_OPTIONS] };
  }
}

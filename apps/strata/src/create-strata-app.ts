import { createHttpApp, type StrataApp } from '@strata/api/create-app';
import type { StrataOptions } from '@strata/config';
import { StrataProcessModule } from './strata-process.module';

/** The embedded process as `npm start` and the end-to-end tests run it: the api with the worker loaded. */
export const createStrataApp = (options: StrataOptions): Promise<StrataApp> => createHttpApp(StrataProcessModule.forRoot(options), options);

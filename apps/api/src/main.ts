import 'reflect-metadata';
import { createApiApp } from './create-app';
import { serve } from './serve';

/** An api process without the worker (`run_worker` is the embedded process's): worker processes run the jobs. */
serve(createApiApp);

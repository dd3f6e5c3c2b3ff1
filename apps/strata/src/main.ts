import 'reflect-metadata';
import { serve } from '@strata/api/serve';
import { createStrataApp } from './create-strata-app';

/** `npm start`: Strata in one process on the embedded defaults (api and worker). */
serve(createStrataApp);

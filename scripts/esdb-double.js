#!/usr/bin/env node
'use strict';
/**
 * Runs the EventStoreDB gRPC double (libs/event-store/src/testing/esdb-double) as its own process, for
 * the multi-process tests and for trying Strata on `event_store = esdb://…` without Docker:
 *   node scripts/esdb-double.js --port 2113        then STRATA_EVENT_STORE='esdb://127.0.0.1:2113?tls=false'
 * Uses the built copy in dist/ when there is one (`npm run build`), else the TypeScript sources.
 */
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const built = join(__dirname, '..', 'dist', 'libs', 'event-store', 'src', 'testing', 'esdb-double', 'main.js');
if (existsSync(built)) require(built);
else {
  require(join(__dirname, '..', 'test', 'contract', 'support', 'ts-require-hook.js'));
  require(join(__dirname, '..', 'libs', 'event-store', 'src', 'testing', 'esdb-double', 'main.ts'));
}

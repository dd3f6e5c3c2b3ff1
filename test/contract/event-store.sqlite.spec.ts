import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreContract } from '@strata/event-store/contract/event-store.contract';
import { openSqliteEventStore } from '@strata/event-store';

const dir = mkdtempSync(join(tmpdir(), 'strata-es-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
eventStoreContract('sqlite', async () => openSqliteEventStore(join(dir, `events-${++files}.db`)));

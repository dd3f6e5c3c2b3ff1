import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { EsdbDouble } from './testing/esdb-double/esdb-double';
import { EventStoreModule } from './event-store.module';
import type { EventStore } from './event-store.port';
import { EVENT_STORE } from './event-store.tokens';

describe('EventStoreModule', () => {
  it('provides the store chosen by the connection string under EVENT_STORE', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [EventStoreModule.forRoot({ url: 'memory:' })] }).compile();
    const store = moduleRef.get<EventStore>(EVENT_STORE);
    const result = await store.appendToStream('backup-1', [{ id: 'e-1', type: 'BackupRequested', data: {} }]);
    expect(result).toEqual({ nextExpectedRevision: 0n, position: 1n });
    await moduleRef.close();
  });

  it('closes the store when the application shuts down', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [EventStoreModule.forRoot({ url: 'memory:' })] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    const store = app.get<EventStore>(EVENT_STORE);
    await app.close();
    await expect(store.headPosition()).rejects.toMatchObject({ name: 'EventStoreClosed' });
  });

  it('provides the EventStoreDB adapter for esdb://', async () => {
    const double = await EsdbDouble.start();
    const moduleRef = await Test.createTestingModule({ imports: [EventStoreModule.forRoot({ url: double.connectionString })] }).compile();
    const store = moduleRef.get<EventStore>(EVENT_STORE);
    expect(store.constructor.name).toBe('EsdbEventStore');
    expect(await store.appendToStream('backup-1', [{ id: randomUUID(), type: 'BackupRequested', data: {} }])).toMatchObject({
      nextExpectedRevision: 0n,
    });
    await moduleRef.close();
    await double.stop();
  });

  it('fails to start with a clear message for a connection string it cannot use', async () => {
    const compiling = Test.createTestingModule({
      imports: [EventStoreModule.forRoot({ url: 'esdb://localhost:2113?tls=maybe' })],
    }).compile();
    await expect(compiling).rejects.toThrow('Cannot open event store esdb://localhost:2113?tls=maybe');
  });
});

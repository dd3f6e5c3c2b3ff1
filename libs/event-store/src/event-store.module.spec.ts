import { Test } from '@nestjs/testing';
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

  it('fails to start with a clear message for esdb://', async () => {
    const compiling = Test.createTestingModule({ imports: [EventStoreModule.forRoot({ url: 'esdb://localhost:2113' })] }).compile();
    await expect(compiling).rejects.toThrow('EventStoreDB adapter not available yet');
  });
});

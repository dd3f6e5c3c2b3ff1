/**
 * Event store throughput: appends N events (BENCH_EVENTS, default 100,000) in batches of 1 and of 100,
 * then replays them through readAll and through a subscription, for each adapter. Prints events/s as a
 * Markdown table (the numbers in docs/event-store.md come from here).
 *
 *   npm run bench:eventstore            BENCH_EVENTS=20000 npm run bench:eventstore
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMemoryEventStore, openSqliteEventStore, type EventData, type EventStore } from '@strata/event-store';

interface Adapter {
  readonly name: string;
  readonly open: (dir: string) => EventStore;
}

const adapters: readonly Adapter[] = [
  { name: 'sqlite (synchronous=FULL, default)', open: (dir) => openSqliteEventStore(join(dir, 'full.db'), { synchronous: 'FULL' }) },
  { name: 'sqlite (synchronous=NORMAL)', open: (dir) => openSqliteEventStore(join(dir, 'normal.db'), { synchronous: 'NORMAL' }) },
  { name: 'memory', open: () => openMemoryEventStore() },
];

const STREAMS = 100;
const chunkWritten = (index: number): EventData => ({
  id: randomUUID(),
  type: 'ChunkWritten',
  data: { backupId: 'b0e3a1f2-6c1d-4c1e-9a63-1f0c5d2f8e11', index, offsetBytes: index * 33_554_432, md5: 'd41d8cd98f00b204e9800998ecf8427e' },
  metadata: { correlationId: 'c7d4', causationId: 'a1b2', userId: 'admin', projectId: 'p1', requestId: 'req-1' },
});

const rate = (events: number, startedAt: bigint): number => Math.round(events / (Number(process.hrtime.bigint() - startedAt) / 1e9));

const appendAll = async (store: EventStore, total: number, batch: number): Promise<number> => {
  const startedAt = process.hrtime.bigint();
  for (let done = 0, i = 0; done < total; i++) {
    const size = Math.min(batch, total - done);
    const events = Array.from({ length: size }, (_, k) => chunkWritten(done + k));
    await store.appendToStream(`backup-${i % STREAMS}`, events);
    done += size;
  }
  return rate(total, startedAt);
};

const replayReadAll = async (store: EventStore, total: number): Promise<number> => {
  const startedAt = process.hrtime.bigint();
  let read = 0;
  for await (const _event of store.readAll()) read++;
  if (read !== total) throw new Error(`readAll returned ${read} events, expected ${total}`);
  return rate(total, startedAt);
};

const replaySubscription = async (store: EventStore, total: number): Promise<number> => {
  const startedAt = process.hrtime.bigint();
  const subscription = store.subscribeToAll({ filter: { streamPrefixes: ['backup-'] } });
  let read = 0;
  for await (const item of subscription) {
    if (item.kind === 'event') read++;
    if (item.kind === 'caughtUp') break;
  }
  if (read !== total) throw new Error(`subscription delivered ${read} events, expected ${total}`);
  return rate(total, startedAt);
};

const main = async (): Promise<void> => {
  const total = Number(process.env.BENCH_EVENTS ?? 100_000);
  const dir = mkdtempSync(join(tmpdir(), 'strata-es-bench-'));
  console.log(`Event store bench: ${total.toLocaleString('en')} events per run, Node ${process.version}\n`);
  console.log('| adapter | batch | append events/s | readAll events/s | subscription events/s |');
  console.log('|---|---:|---:|---:|---:|');
  try {
    for (const adapter of adapters) {
      for (const batch of [1, 100]) {
        const runDir = mkdtempSync(join(dir, 'run-'));
        const store = adapter.open(runDir);
        try {
          const append = await appendAll(store, total, batch);
          const readAll = await replayReadAll(store, total);
          const subscription = await replaySubscription(store, total);
          const cells = [append, readAll, subscription].map((n) => n.toLocaleString('en'));
          console.log(`| ${adapter.name} | ${batch} | ${cells.join(' | ')} |`);
        } finally {
          await store.close();
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

import { isAbsolute, resolve } from 'node:path';
import { UnsupportedEventStoreUrl } from './errors';
import { openEsdbEventStore } from './esdb/esdb-event-store';
import type { EventStore } from './event-store.port';
import { openMemoryEventStore } from './memory/memory-event-store';
import { openSqliteEventStore } from './sqlite/sqlite-event-store';
import type { SqliteSynchronous } from './sqlite/sqlite-database';

export interface OpenEventStoreOptions {
  /** What a relative `sqlite:` path is relative to; the process's working directory by default. */
  readonly cwd?: string;
}

/**
 * Picks the adapter from the `event_store` connection string:
 * - `sqlite:PATH[?synchronous=NORMAL|FULL]`: a file (directories are created), relative to `cwd`;
 * - `memory:`: a fresh in-process store;
 * - `esdb://HOST:PORT[?tls=false&…]` / `esdb+discover://…`: EventStoreDB (23.10 or later), with the
 *   client's own connection-string options; it connects on first use.
 */
export const openEventStore = (url: string, { cwd = process.cwd() }: OpenEventStoreOptions = {}): EventStore => {
  if (url === 'memory:' || url === 'memory://') return openMemoryEventStore();
  if (url.startsWith('sqlite:')) {
    const [rawPath = '', query = ''] = url.slice('sqlite:'.length).split('?', 2);
    if (rawPath === '') throw new UnsupportedEventStoreUrl(url, 'a sqlite: URL needs a file path, as in sqlite:data/events.db');
    const path = isAbsolute(rawPath) ? rawPath : resolve(cwd, rawPath);
    return openSqliteEventStore(path, { synchronous: synchronousOf(url, new URLSearchParams(query)) });
  }
  if (url.startsWith('esdb://') || url.startsWith('esdb+discover://')) return openEsdbStore(url);
  throw new UnsupportedEventStoreUrl(url, 'expected sqlite:PATH, memory: or esdb://HOST:PORT');
};

/** The client's parser names what is wrong with a connection string; it becomes the same refusal as ours. */
const openEsdbStore = (url: string): EventStore => {
  try {
    return openEsdbEventStore(url);
  } catch (error) {
    throw new UnsupportedEventStoreUrl(url, (error as Error).message);
  }
};

const synchronousOf = (url: string, query: URLSearchParams): SqliteSynchronous | undefined => {
  const value = query.get('synchronous')?.toUpperCase();
  if (value === undefined || value === 'FULL' || value === 'NORMAL') return value;
  throw new UnsupportedEventStoreUrl(url, `synchronous must be FULL or NORMAL, not ${value}`);
};

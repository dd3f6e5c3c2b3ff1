import type { EventStore, ReadStreamOptions, RecordedEvent } from '../event-store.port';

/** One stream read a spied store was asked for: its options, and how many events it gave. */
export interface SpiedRead {
  readonly options: ReadStreamOptions | undefined;
  events: number;
}

/** The store, recording each of its stream reads (`reads`), for a spec that says what a step reads. */
export const spyOnReads = (inner: EventStore): { store: EventStore; reads: SpiedRead[] } => {
  const reads: SpiedRead[] = [];
  const store = Object.assign(Object.create(inner) as EventStore, {
    async *readStream(streamId: string, options?: ReadStreamOptions): AsyncGenerator<RecordedEvent> {
      const read: SpiedRead = { options, events: 0 };
      reads.push(read);
      for await (const event of inner.readStream(streamId, options)) {
        read.events++;
        yield event;
      }
    },
  });
  return { store, reads };
};

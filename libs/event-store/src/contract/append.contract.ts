import { anEvent, collect, idsOf, someEvents, streamId, type StoreUnderTest } from './contract-support';

export const appendContract = (store: StoreUnderTest) =>
  describe('appendToStream', () => {
    describe('expected revisions', () => {
      it('starts a new stream at revision 0 and returns the position of its last event', async () => {
        const stream = streamId();
        const result = await store().appendToStream(stream, someEvents(2), { expectedRevision: 'no_stream' });
        const recorded = await collect(store().readStream(stream));
        expect(result).toEqual({ nextExpectedRevision: 1n, position: recorded[1]!.position });
        expect(await store().headPosition()).toBe(result.position);
      });

      it('refuses no_stream once the stream exists, naming stream, expected and actual', async () => {
        const stream = streamId();
        await store().appendToStream(stream, [anEvent()], { expectedRevision: 'no_stream' });
        await expect(store().appendToStream(stream, [anEvent()], { expectedRevision: 'no_stream' })).rejects.toMatchObject({
          name: 'WrongExpectedVersion',
          stream,
          expected: 'no_stream',
          actual: 0n,
        });
      });

      it('accepts the current revision and continues the revisions from it', async () => {
        const stream = streamId();
        await store().appendToStream(stream, someEvents(2));
        const result = await store().appendToStream(stream, someEvents(3), { expectedRevision: 1n });
        expect(result.nextExpectedRevision).toBe(4n);
      });

      it('refuses a stale expected revision, naming stream, expected and actual', async () => {
        const stream = streamId();
        await store().appendToStream(stream, someEvents(3));
        await expect(store().appendToStream(stream, [anEvent()], { expectedRevision: 1n })).rejects.toMatchObject({
          name: 'WrongExpectedVersion',
          stream,
          expected: 1n,
          actual: 2n,
        });
      });

      it('refuses an expected revision ahead of the stream', async () => {
        const stream = streamId();
        await store().appendToStream(stream, [anEvent()]);
        await expect(store().appendToStream(stream, [anEvent()], { expectedRevision: 5n })).rejects.toMatchObject({
          name: 'WrongExpectedVersion',
          expected: 5n,
          actual: 0n,
        });
      });

      it('refuses a revision on a missing stream, reporting actual no_stream', async () => {
        const stream = streamId();
        await expect(store().appendToStream(stream, [anEvent()], { expectedRevision: 0n })).rejects.toMatchObject({
          name: 'WrongExpectedVersion',
          stream,
          expected: 0n,
          actual: 'no_stream',
        });
      });

      it('accepts stream_exists on an existing stream', async () => {
        const stream = streamId();
        await store().appendToStream(stream, [anEvent()]);
        const result = await store().appendToStream(stream, [anEvent()], { expectedRevision: 'stream_exists' });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('refuses stream_exists on a missing stream', async () => {
        const stream = streamId();
        await expect(store().appendToStream(stream, [anEvent()], { expectedRevision: 'stream_exists' })).rejects.toMatchObject({
          name: 'WrongExpectedVersion',
          stream,
          expected: 'stream_exists',
          actual: 'no_stream',
        });
      });

      it('accepts any on a missing and on an existing stream (the default)', async () => {
        const stream = streamId();
        await store().appendToStream(stream, [anEvent()], { expectedRevision: 'any' });
        const result = await store().appendToStream(stream, [anEvent()]);
        expect(result.nextExpectedRevision).toBe(1n);
      });
    });

    describe('races', () => {
      it('lets exactly one of several appends at the same expected revision win', async () => {
        const stream = streamId();
        await store().appendToStream(stream, [anEvent()]);
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, () => store().appendToStream(stream, [anEvent()], { expectedRevision: 0n })),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const o of outcomes.filter((o) => o.status === 'rejected'))
          expect(o.reason).toMatchObject({ name: 'WrongExpectedVersion', expected: 0n, actual: 1n });
        expect(await collect(store().readStream(stream))).toHaveLength(2);
      });

      it('lets exactly one of several no_stream appends create the stream', async () => {
        const stream = streamId();
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, () => store().appendToStream(stream, someEvents(2), { expectedRevision: 'no_stream' })),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        expect(await collect(store().readStream(stream))).toHaveLength(2);
      });
    });

    describe('what is recorded', () => {
      it('records id, stream, revision, position, type, data, metadata and a creation time', async () => {
        const stream = streamId();
        const event = anEvent('BackupRequested', { backupId: 'b-1', sizeGb: 10 }, { correlationId: 'c-1' });
        const { position } = await store().appendToStream(stream, [event]);
        const [recorded] = await collect(store().readStream(stream));
        expect(recorded).toEqual({
          id: event.id,
          streamId: stream,
          revision: 0n,
          position,
          type: 'BackupRequested',
          data: { backupId: 'b-1', sizeGb: 10 },
          metadata: { correlationId: 'c-1' },
          createdAt: expect.any(String),
        });
        expect(new Date(recorded!.createdAt).toISOString()).toBe(recorded!.createdAt);
      });

      it('reads empty metadata when none was given', async () => {
        const stream = streamId();
        await store().appendToStream(stream, [anEvent()]);
        const [recorded] = await collect(store().readStream(stream));
        expect(recorded!.metadata).toEqual({});
      });

      it('hands out metadata frozen, nested values too, whichever way it is read', async () => {
        const stream = streamId();
        const metadata = { correlationId: 'c-1', origin: { service: 'api', hops: [1, 2] } };
        const { position } = await store().appendToStream(stream, [
          anEvent('BackupRequested', {}, metadata),
          anEvent('BackupRequested', {}, metadata),
        ]);
        const read = [
          ...(await collect(store().readStream(stream))),
          ...(await collect(store().readAll({ fromPosition: position, direction: 'backwards', maxCount: 1 }))),
        ];
        for (const recorded of read) {
          expect(recorded.metadata).toEqual(metadata);
          expect(Object.isFrozen(recorded.metadata)).toBe(true);
          expect(Object.isFrozen((recorded.metadata.origin as { hops: number[] }).hops)).toBe(true);
        }
      });

      it('gives the events of one append adjacent, increasing positions that end at the returned one', async () => {
        const stream = streamId();
        const { position } = await store().appendToStream(stream, someEvents(3));
        const recorded = await collect(store().readStream(stream));
        const [first, second, third] = recorded.map((e) => e.position);
        expect(first! > 0n && first! < second! && second! < third!).toBe(true);
        expect(third).toBe(position);
        expect(idsOf(await collect(store().readAll({ fromPosition: first!, maxCount: 3 })))).toEqual(idsOf(recorded));
      });
    });

    describe('idempotence', () => {
      it('returns the original result when the same ids are appended again at the same revision', async () => {
        const stream = streamId();
        const events = someEvents(3);
        const first = await store().appendToStream(stream, events, { expectedRevision: 'no_stream' });
        await store().appendToStream(stream, [anEvent()]);
        const head = await store().headPosition();
        const again = await store().appendToStream(stream, events, { expectedRevision: 'no_stream' });
        expect(again).toEqual(first);
        expect(await store().headPosition()).toBe(head);
      });

      it('treats the same ids appended again with any as a replay of the original append', async () => {
        const stream = streamId();
        const events = someEvents(2);
        await store().appendToStream(stream, [anEvent()]);
        const first = await store().appendToStream(stream, events);
        await store().appendToStream(stream, [anEvent()]);
        expect(await store().appendToStream(stream, events)).toEqual(first);
        expect(await collect(store().readStream(stream))).toHaveLength(4);
      });

      it('refuses a batch that names one id twice', async () => {
        const event = anEvent();
        await expect(store().appendToStream(streamId(), [event, event])).rejects.toMatchObject({
          name: 'DuplicateEventId',
          eventId: event.id,
        });
      });

      it('records nothing of a batch it refuses', async () => {
        const head = await store().headPosition();
        const stream = streamId();
        const event = anEvent();
        await expect(store().appendToStream(stream, [anEvent(), event, event])).rejects.toMatchObject({ name: 'DuplicateEventId' });
        expect(await store().headPosition()).toBe(head);
        await expect(collect(store().readStream(stream))).rejects.toMatchObject({ name: 'StreamNotFound' });
      });

      it('keeps the order and ids of what was appended', async () => {
        const stream = streamId();
        const events = someEvents(5);
        await store().appendToStream(stream, events);
        expect(idsOf(await collect(store().readStream(stream)))).toEqual(idsOf(events));
      });
    });
  });

import { anEvent, collect, idsOf, someEvents, streamId, type StoreUnderTest } from './contract-support';

/**
 * Soft delete, as EventStoreDB does it: reads say not found; the events stay in the global log; an append
 * with `any`, `no_stream` (once) or the last revision brings the stream back with its revisions
 * continuing, and reads then show only what came after the delete. `stream_exists` refuses a
 * soft-deleted stream with StreamDeleted.
 */
export const deleteContract = (store: StoreUnderTest) =>
  describe('deleteStream (soft delete)', () => {
    const givenDeleted = async (count = 2) => {
      const stream = streamId();
      const events = someEvents(count);
      await store().appendToStream(stream, events);
      const [first] = await collect(store().readStream(stream));
      await store().deleteStream(stream);
      return { stream, events, firstPosition: first!.position };
    };

    it('makes reads of the stream say not found', async () => {
      const { stream } = await givenDeleted();
      await expect(collect(store().readStream(stream))).rejects.toMatchObject({ name: 'StreamNotFound', stream });
    });

    it('keeps the deleted events in the global log', async () => {
      const { events, firstPosition } = await givenDeleted(2);
      const read = await collect(store().readAll({ fromPosition: firstPosition, maxCount: 2 }));
      expect(idsOf(read)).toEqual(idsOf(events));
    });

    it('lets any continue the revisions, and reads show only the events after the delete', async () => {
      const { stream } = await givenDeleted(2);
      const later = someEvents(2);
      const result = await store().appendToStream(stream, later, { expectedRevision: 'any' });
      expect(result.nextExpectedRevision).toBe(3n);
      const read = await collect(store().readStream(stream));
      expect(idsOf(read)).toEqual(idsOf(later));
      expect(read.map((e) => e.revision)).toEqual([2n, 3n]);
    });

    it('lets no_stream bring the stream back once, then refuses it', async () => {
      const { stream } = await givenDeleted(2);
      const result = await store().appendToStream(stream, someEvents(3), { expectedRevision: 'no_stream' });
      expect(result.nextExpectedRevision).toBe(4n);
      await expect(store().appendToStream(stream, [anEvent()], { expectedRevision: 'no_stream' })).rejects.toMatchObject({
        name: 'WrongExpectedVersion',
        stream,
        expected: 'no_stream',
        actual: 4n,
      });
    });

    it('lets the last revision before the delete continue the stream', async () => {
      const { stream } = await givenDeleted(2);
      const result = await store().appendToStream(stream, [anEvent()], { expectedRevision: 1n });
      expect(result.nextExpectedRevision).toBe(2n);
    });

    it('refuses stream_exists on a soft-deleted stream with StreamDeleted', async () => {
      const { stream } = await givenDeleted();
      await expect(store().appendToStream(stream, [anEvent()], { expectedRevision: 'stream_exists' })).rejects.toMatchObject({
        name: 'StreamDeleted',
        stream,
      });
    });

    it('reads backwards only down to the first event after the delete', async () => {
      const { stream } = await givenDeleted(3);
      const later = someEvents(2);
      await store().appendToStream(stream, later);
      const read = await collect(store().readStream(stream, { direction: 'backwards' }));
      expect(idsOf(read)).toEqual(idsOf(later).reverse());
    });

    it('refuses a stale expected revision, leaving the stream readable', async () => {
      const stream = streamId();
      await store().appendToStream(stream, someEvents(3));
      await expect(store().deleteStream(stream, { expectedRevision: 1n })).rejects.toMatchObject({
        name: 'WrongExpectedVersion',
        stream,
        expected: 1n,
        actual: 2n,
      });
      expect(await collect(store().readStream(stream))).toHaveLength(3);
    });

    it('deletes at the current revision', async () => {
      const stream = streamId();
      await store().appendToStream(stream, someEvents(3));
      await store().deleteStream(stream, { expectedRevision: 2n });
      await expect(collect(store().readStream(stream))).rejects.toMatchObject({ name: 'StreamNotFound' });
    });

    it('says not found for a stream that never existed', async () => {
      const stream = streamId();
      await expect(store().deleteStream(stream)).rejects.toMatchObject({ name: 'StreamNotFound', stream });
    });

    it('accepts deleting an already deleted stream with any', async () => {
      const { stream } = await givenDeleted();
      await expect(store().deleteStream(stream)).resolves.toBeUndefined();
    });
  });

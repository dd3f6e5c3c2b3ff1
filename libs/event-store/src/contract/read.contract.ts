import { appendInBatches, collect, idsOf, someEvents, streamId, type StoreUnderTest } from './contract-support';

export const readContract = (store: StoreUnderTest) => {
  describe('readStream', () => {
    const givenStream = async (count: number) => {
      const stream = streamId();
      const events = someEvents(count);
      await store().appendToStream(stream, events);
      return { stream, ids: idsOf(events) };
    };

    it('reads the whole stream forwards by default', async () => {
      const { stream, ids } = await givenStream(4);
      const read = await collect(store().readStream(stream));
      expect(idsOf(read)).toEqual(ids);
      expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n]);
    });

    it('reads forwards from a revision, at most maxCount events', async () => {
      const { stream, ids } = await givenStream(6);
      const read = await collect(store().readStream(stream, { fromRevision: 2n, maxCount: 3 }));
      expect(idsOf(read)).toEqual(ids.slice(2, 5));
    });

    it('reads backwards from the end', async () => {
      const { stream, ids } = await givenStream(4);
      const read = await collect(store().readStream(stream, { direction: 'backwards' }));
      expect(idsOf(read)).toEqual([...ids].reverse());
    });

    it('reads backwards from a revision, at most maxCount events', async () => {
      const { stream, ids } = await givenStream(6);
      const read = await collect(store().readStream(stream, { direction: 'backwards', fromRevision: 3n, maxCount: 2 }));
      expect(read.map((e) => e.revision)).toEqual([3n, 2n]);
      expect(idsOf(read)).toEqual([ids[3], ids[2]]);
    });

    it('reads nothing forwards from the end, and only the last event backwards with maxCount 1', async () => {
      const { stream, ids } = await givenStream(3);
      expect(await collect(store().readStream(stream, { fromRevision: 'end' }))).toEqual([]);
      const last = await collect(store().readStream(stream, { direction: 'backwards', fromRevision: 'end', maxCount: 1 }));
      expect(idsOf(last)).toEqual([ids[2]]);
    });

    it('reads nothing forwards from a revision past the end', async () => {
      const { stream } = await givenStream(2);
      expect(await collect(store().readStream(stream, { fromRevision: 7n }))).toEqual([]);
    });

    it('throws StreamNotFound during iteration, not when called, for a missing stream', async () => {
      const stream = streamId();
      const reading = store().readStream(stream);
      await expect(collect(reading)).rejects.toMatchObject({ name: 'StreamNotFound', stream });
    });

    it('reads a stream longer than a page in order, both ways', async () => {
      const stream = streamId();
      const events = someEvents(1234);
      await appendInBatches(store(), stream, events, 400);
      expect(idsOf(await collect(store().readStream(stream)))).toEqual(idsOf(events));
      const backwards = await collect(store().readStream(stream, { direction: 'backwards' }));
      expect(idsOf(backwards)).toEqual(idsOf(events).reverse());
    });
  });

  describe('lastRevision', () => {
    it('is -1 for a stream that was never written', async () => {
      expect(await store().lastRevision(streamId())).toBe(-1n);
    });

    it("is the revision of the stream's last event", async () => {
      const stream = streamId();
      await store().appendToStream(stream, someEvents(3));
      expect(await store().lastRevision(stream)).toBe(2n);
      await store().appendToStream(stream, someEvents(2));
      expect(await store().lastRevision(stream)).toBe(4n);
    });

    it('is -1 for a soft-deleted stream, as reading it says not found, and the last revision once appended again', async () => {
      const stream = streamId();
      await store().appendToStream(stream, someEvents(2));
      await store().deleteStream(stream);
      expect(await store().lastRevision(stream)).toBe(-1n);
      await store().appendToStream(stream, someEvents(1), { expectedRevision: 'any' });
      expect(await store().lastRevision(stream)).toBe(2n);
    });
  });

  describe('readAll', () => {
    /** Two appends; their five events with the positions the store gave them. */
    const givenLog = async () => {
      const [a, b] = [streamId(), streamId()];
      await store().appendToStream(a, someEvents(3));
      await store().appendToStream(b, someEvents(2));
      const events = [...(await collect(store().readStream(a))), ...(await collect(store().readStream(b)))];
      return { ids: idsOf(events), positions: events.map((e) => e.position) };
    };

    it('reads the log forwards from a position (inclusive), in increasing positions', async () => {
      const { ids, positions } = await givenLog();
      const read = await collect(store().readAll({ fromPosition: positions[1]! }));
      expect(idsOf(read)).toEqual(ids.slice(1));
      expect(read.map((e) => e.position)).toEqual(positions.slice(1));
    });

    it('reads the log forwards from a position, at most maxCount events', async () => {
      const { ids, positions } = await givenLog();
      const read = await collect(store().readAll({ fromPosition: positions[0]!, maxCount: 2 }));
      expect(idsOf(read)).toEqual(ids.slice(0, 2));
    });

    it('reads the log backwards from a position (inclusive) with maxCount', async () => {
      const { ids, positions } = await givenLog();
      const read = await collect(store().readAll({ direction: 'backwards', fromPosition: positions[3]!, maxCount: 3 }));
      expect(idsOf(read)).toEqual([ids[3], ids[2], ids[1]]);
    });

    it('reads backwards from the end by default', async () => {
      const { ids } = await givenLog();
      const read = await collect(store().readAll({ direction: 'backwards', maxCount: 5 }));
      expect(idsOf(read)).toEqual([...ids].reverse());
    });

    it('reads nothing forwards from the end', async () => {
      await givenLog();
      expect(await collect(store().readAll({ fromPosition: 'end' }))).toEqual([]);
    });

    it('reads from the first event of the log to the head, in strictly increasing positions above 0', async () => {
      const { ids, positions } = await givenLog();
      const read = await collect(store().readAll());
      expect(read[0]!.position > 0n).toBe(true);
      expect(read.every((e, i) => i === 0 || e.position > read[i - 1]!.position)).toBe(true);
      expect(idsOf(read.slice(-5))).toEqual(ids);
      expect(await store().headPosition()).toBe(positions[4]);
    });
  });

  describe('headPosition', () => {
    it('reports the position of the newest event', async () => {
      const stream = streamId();
      const { position } = await store().appendToStream(stream, someEvents(3));
      expect(await store().headPosition()).toBe(position);
    });
  });
};

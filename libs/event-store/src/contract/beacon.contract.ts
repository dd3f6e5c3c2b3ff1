import { randomUUID } from 'node:crypto';
import { anEvent, collect, streamId, type StoreUnderTest } from './contract-support';

/**
 * Beacons beside the log: the last time written per key is what is read, and writing one changes
 * nothing a reader of the log can see (no position, no event in any read of the log).
 */
export const beaconContract = (store: StoreUnderTest) =>
  describe('beacons', () => {
    it('keeps the last time written for each key', async () => {
      const [a, b] = [`svc-${randomUUID()}`, `svc-${randomUUID()}`];
      await store().writeBeacon(a, '2026-12-04T10:00:00.000Z');
      await store().writeBeacon(b, '2026-12-04T10:00:05.000Z');
      await store().writeBeacon(a, '2026-12-04T10:00:10.000Z');
      const beacons = await store().readBeacons();
      expect(beacons.get(a)).toBe('2026-12-04T10:00:10.000Z');
      expect(beacons.get(b)).toBe('2026-12-04T10:00:05.000Z');
    });

    it('leaves the log as it was', async () => {
      await store().appendToStream(streamId(), [anEvent()]);
      const head = await store().headPosition();
      const last = await collect(store().readAll({ direction: 'backwards', maxCount: 1 }));
      await store().writeBeacon(`svc-${randomUUID()}`, '2026-12-04T10:00:00.000Z');
      expect(await store().headPosition()).toBe(head);
      expect(await collect(store().readAll({ direction: 'backwards', maxCount: 1 }))).toEqual(last);
    });
  });

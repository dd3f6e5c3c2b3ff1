import { metadataReader, REMEMBERED_METADATA, rowReader, type StoredRow } from './stored-event';

const metadataText = (n: number) => JSON.stringify({ correlationId: `c-${n}`, causationId: `e-${n}` });
const rowWith = (position: bigint, metadata: string | null): StoredRow => [
  position,
  `id-${position}`,
  'backup-1',
  position - 1n,
  'ChunkWritten',
  '{"index":1}',
  metadata,
  '2026-11-28T00:00:00.000Z',
];

describe('reading stored metadata', () => {
  it('given events recorded by one job, parses their metadata once and shares the frozen object', () => {
    const read = rowReader();
    const [first, second] = [rowWith(1n, metadataText(1)), rowWith(2n, metadataText(1))].map(read);
    expect(second!.metadata).toBe(first!.metadata);
    expect(first!.metadata).toEqual({ correlationId: 'c-1', causationId: 'e-1' });
    expect(Object.isFrozen(first!.metadata)).toBe(true);
    expect(second!.data).not.toBe(first!.data);
  });

  it('given the events of several jobs interleaved, gives each event its own job metadata', () => {
    const read = metadataReader();
    const jobs = REMEMBERED_METADATA + 3;
    for (let round = 0; round < 3; round++) {
      for (let job = 0; job < jobs; job++) expect(read(metadataText(job))).toEqual({ correlationId: `c-${job}`, causationId: `e-${job}` });
    }
  });

  it('given as many jobs as it remembers, parses each text once', () => {
    const read = metadataReader();
    const first = Array.from({ length: REMEMBERED_METADATA }, (_, job) => read(metadataText(job)));
    const again = Array.from({ length: REMEMBERED_METADATA }, (_, job) => read(metadataText(job)));
    again.forEach((metadata, job) => expect(metadata).toBe(first[job]));
  });

  it('given an event without metadata, reads empty frozen metadata', () => {
    const metadata = metadataReader()(null);
    expect(metadata).toEqual({});
    expect(Object.isFrozen(metadata)).toBe(true);
  });

  it('keeps two reads apart: a metadata object is shared within a read only', () => {
    const text = metadataText(7);
    expect(metadataReader()(text)).not.toBe(metadataReader()(text));
  });
});

import { firstRecordedAt, HistoryDigest, InvalidHistoryFile, parseBodyLine, parseHeader } from './history-file';

const eventLine = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    streamId: 'backup-b0000000-0000-4000-8000-000000000001',
    revision: 0,
    id: 'e0000000-0000-4000-8000-000000000001',
    type: 'BackupCancelled',
    data: { backupId: 'b0000000-0000-4000-8000-000000000001', cancelledAt: '2026-11-27T10:00:00.000Z' },
    metadata: { userId: 'u' },
    recordedAt: '2026-11-27T10:00:00.000Z',
    position: 7,
    ...over,
  });

describe('parseHeader', () => {
  it('reads a version 1 strata-catalog header', () => {
    const header = {
      format: 'strata-catalog',
      version: 1,
      exportedAt: '2026-11-27T10:00:00.000Z',
      headPosition: 9,
      selection: { all: true },
    };
    expect(parseHeader(JSON.stringify(header))).toEqual(header);
  });

  it('refuses an empty file, another format and a version it does not know', () => {
    expect(() => parseHeader(undefined)).toThrow(new InvalidHistoryFile('the file is empty'));
    expect(() => parseHeader('{"format":"tar"}')).toThrow(
      'Invalid catalog file (line 1): the first line must name format "strata-catalog"',
    );
    expect(() => parseHeader('{"format":"strata-catalog","version":2}')).toThrow(
      'Invalid catalog file (line 1): version 2 is not supported (this Strata reads version 1)',
    );
    expect(() => parseHeader('[1]')).toThrow('Invalid catalog file (line 1): a line must be a JSON object');
  });
});

describe('parseBodyLine', () => {
  it('reads an event line', () => {
    expect(parseBodyLine(eventLine(), 2)).toEqual({ kind: 'event', event: JSON.parse(eventLine()) });
  });

  it('reads a volume type event on its own stream, and refuses it on the stream of a volume', () => {
    const typeId = 'c0000000-0000-4000-8000-000000000001';
    const deleted = { type: 'VolumeTypeDeleted', data: { volumeTypeId: typeId, deletedAt: '2026-11-27T10:00:00.000Z' } };
    expect(parseBodyLine(eventLine({ streamId: `volume-type-${typeId}`, ...deleted }), 2)).toMatchObject({ kind: 'event' });
    expect(() => parseBodyLine(eventLine({ streamId: `volume-${typeId}`, ...deleted }), 2)).toThrow(
      `Invalid catalog file (line 2): a VolumeTypeDeleted event cannot be on stream volume-${typeId}`,
    );
  });

  it('reads the checksum line', () => {
    expect(parseBodyLine('{"sha256":"ab","events":3}', 5)).toEqual({ kind: 'trailer', trailer: { sha256: 'ab', events: 3 } });
  });

  it.each([
    [{ streamId: 'jobs-1' }, 'streamId must be a backup, volume, volume type, snapshot or message stream'],
    [{ revision: -1 }, 'revision must be a whole number'],
    [{ revision: '0' }, 'revision must be a whole number'],
    [{ id: '' }, 'id must be an event id'],
    [{ type: 7 }, 'type must be an event type'],
    [{ metadata: null }, 'metadata must be an object'],
    [{ recordedAt: 'yesterday' }, 'recordedAt must be an ISO time'],
    [{ recordedAt: `2026-11-27T10:00:00.${'0'.repeat(40)}Z` }, 'recordedAt must be an ISO time'],
    [{ type: 'BackupTeleported' }, 'BackupTeleported type "BackupTeleported" is not an event type this Strata records'],
    [
      { data: { backupId: 'b0000000-0000-4000-8000-000000000001', cancelledAt: 7 } },
      'BackupCancelled data.cancelledAt must be a string, not 7',
    ],
    [
      { type: 'VolumeDeleted', data: { volumeId: 'a0000000-0000-4000-8000-000000000001', deletedAt: '2026-11-27T10:00:00.000Z' } },
      'a VolumeDeleted event cannot be on stream backup-b0000000-0000-4000-8000-000000000001',
    ],
    [
      { data: { backupId: 'b0000000-0000-4000-8000-000000000002', cancelledAt: '2026-11-27T10:00:00.000Z' } },
      'data.backupId b0000000-0000-4000-8000-000000000002 is not the entity of stream backup-b0000000-0000-4000-8000-000000000001',
    ],
    [{ metadata: { userId: { nested: ['deep'] } } }, 'metadata.userId must be a string of at most 4096 characters or null'],
    [{ metadata: { ['k'.repeat(256)]: 'v' } }, 'metadata has a key of 256 characters (at most 255)'],
  ])('refuses %j, naming the line', (over, reason) => {
    expect(() => parseBodyLine(eventLine(over), 4)).toThrow(`Invalid catalog file (line 4): ${reason}`);
  });

  it('refuses a line that is not JSON', () => {
    expect(() => parseBodyLine('{"streamId":', 3)).toThrow('Invalid catalog file (line 3): not a JSON line');
  });
});

describe('HistoryDigest', () => {
  it('hashes each line with its newline and counts events', () => {
    const digest = new HistoryDigest();
    expect(digest.line('a')).toBe('a\n');
    digest.line('b');
    digest.countEvent();
    // sha256 of "a\nb\n"
    expect(digest.trailer()).toEqual({ sha256: '911169ddaaf146aff539f58c26c489af3b892dff0fe283c1c264c65ae5aa59a2', events: 1 });
  });
});

describe('firstRecordedAt', () => {
  it('prefers the time an import carried over', () => {
    expect(firstRecordedAt({ createdAt: '2026-12-01T00:00:00.000Z', metadata: { originalRecordedAt: '2026-11-27T10:00:00.000Z' } })).toBe(
      '2026-11-27T10:00:00.000Z',
    );
    expect(firstRecordedAt({ createdAt: '2026-12-01T00:00:00.000Z', metadata: {} })).toBe('2026-12-01T00:00:00.000Z');
  });
});

import { InvalidInput } from '@strata/domain';
import { decodeBackupRecord, encodeBackupRecord, importedFieldsOf, recordTime, type CinderBackupRecord } from './backup-record.codec';

const record: CinderBackupRecord = {
  id: 'b0000000-0000-4000-8000-000000000001',
  user_id: 'u',
  project_id: 'p',
  volume_id: 'a0000000-0000-4000-8000-000000000001',
  host: null,
  availability_zone: 'nova',
  container: 'c',
  parent_id: null,
  status: 'available',
  fail_reason: null,
  size: 1,
  display_name: 'café "quoted"',
  display_description: null,
  service_metadata: 'prefix',
  service: 'posix',
  object_count: 2,
  temp_volume_id: null,
  temp_snapshot_id: null,
  num_dependent_backups: 0,
  snapshot_id: null,
  data_timestamp: '2026-11-27T10:00:00Z',
  restore_volume_id: null,
  metadata: { k: 'v' },
  encryption_key_id: null,
  created_at: '2026-11-27T10:00:00Z',
  updated_at: null,
  deleted_at: null,
  deleted: false,
};
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('encodeBackupRecord', () => {
  it("writes Python's json.dumps: driver_info first, ', ' and ': ' separators, non-ASCII as \\u escapes", () => {
    const text = Buffer.from(encodeBackupRecord(record), 'base64').toString('utf8');
    expect(text.startsWith('{"driver_info": {}, "id": "b0000000-0000-4000-8000-000000000001", "user_id": "u", ')).toBe(true);
    expect(text).toContain('"display_name": "caf\\u00e9 \\"quoted\\"", ');
    expect(text).toContain('"metadata": {"k": "v"}, ');
    expect(text.endsWith('"deleted_at": null, "deleted": false}')).toBe(true);
  });
});

describe('recordTime', () => {
  it("drops microseconds and ends in Z, as Cinder's isotime does", () =>
    expect(recordTime('2026-11-27T17:19:44.579568Z')).toBe('2026-11-27T17:19:44Z'));
});

describe('decodeBackupRecord', () => {
  const cantParse = "Invalid input received: Can't parse backup record.";
  const refusal = (url: string) => {
    try {
      decodeBackupRecord(url);
    } catch (e) {
      return e instanceof InvalidInput ? e.message : `unexpected ${String(e)}`;
    }
    return 'accepted';
  };

  it('reads what encodeBackupRecord wrote', () => expect(decodeBackupRecord(encodeBackupRecord(record))).toMatchObject({ id: record.id }));
  it('ignores line breaks, as Python does with characters outside the alphabet', () =>
    expect(decodeBackupRecord(b64('{"id": "x"}').replace(/(.{4})/g, '$1\n'))).toEqual({ id: 'x' }));
  const cantDecode = "Invalid input received: Can't decode backup record.";
  // Each answer checked against Cinder's Backup.decode_record (python3-cinder 21.3.1).
  it.each([
    ['123456', cantDecode],
    ['', cantParse],
    [b64('{"id": '), cantParse],
    [b64('7'), cantParse],
    [b64('[1, 2]'), 'Invalid input received: Provided backup record is missing an id'],
    // URL-safe base64: Python drops '-' and '_', and the padding no longer fits.
    [Buffer.from('{"a": "?>?>?>"}').toString('base64url'), cantDecode],
  ])('answers %j as Cinder does', (url, message) => expect(refusal(url)).toBe(message));
});

describe('importedFieldsOf', () => {
  it("asks for the id and the size with Cinder's messages", () => {
    expect(() => importedFieldsOf({ size: 1 })).toThrow('Invalid input received: Provided backup record is missing an id');
    expect(() => importedFieldsOf({ id: record.id })).toThrow('Invalid input received: Provided backup record is missing size attribute');
  });
  it('keeps absent fields absent (the decider names them) and null ones null', () => {
    const { fields } = importedFieldsOf({ id: record.id.toUpperCase(), size: 1, display_name: null });
    expect(fields).toMatchObject({ sizeGb: 1, name: null });
    expect(fields.objectCount).toBeUndefined();
    expect(fields.container).toBeUndefined();
  });
  it('reads the times Cinder writes (Z, full ISO, naive) as UTC', () => {
    const { fields } = importedFieldsOf({
      id: record.id,
      size: 1,
      created_at: '2026-11-27T10:00:00Z',
      data_timestamp: '2026-11-27T10:00:00.123456',
    });
    expect(fields).toMatchObject({ createdAt: '2026-11-27T10:00:00.000Z', dataTimestamp: '2026-11-27T10:00:00.123Z' });
  });
});

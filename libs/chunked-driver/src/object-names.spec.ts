import { dataObjectIndex, dataObjectName, defaultPosixContainer, metadataObjectName, objectPrefix, sha256ObjectName } from './object-names';

const at = new Date('2024-05-06T07:08:09.999Z');
const ids = { volumeId: 'aaaaaaaa-1111-4222-8333-444444444444', backupId: 'bbbbbbbb-1111-4222-8333-000000000001', at };

describe('object names', () => {
  it('builds the posix prefix (test_generate_object_name_prefix)', () => {
    expect(objectPrefix('posix', ids)).toBe(
      'volume_aaaaaaaa-1111-4222-8333-444444444444_20240506070809_backup_bbbbbbbb-1111-4222-8333-000000000001',
    );
  });

  it('builds the object-store prefix with pseudo-directories and the availability zone', () => {
    expect(objectPrefix('object-store', { ...ids, availabilityZone: 'az1' })).toBe(
      'volume_aaaaaaaa-1111-4222-8333-444444444444/20240506070809/az_az1_backup_bbbbbbbb-1111-4222-8333-000000000001',
    );
  });

  it('derives the default posix container from the backup id', () => {
    expect(defaultPosixContainer(ids.backupId)).toBe('bb/bb/bbbbbbbb-1111-4222-8333-000000000001');
  });

  it('numbers data objects with five digits, growing past 99999', () => {
    expect([1, 99999, 100000].map((i) => dataObjectName('p', i))).toEqual(['p-00001', 'p-99999', 'p-100000']);
    expect(dataObjectIndex('p', 'p-100000')).toBe(100000);
    expect(dataObjectIndex('p', 'p_metadata')).toBeNull();
  });

  it('names the JSON files (test_metadata_filename, test_sha256_filename)', () => {
    expect([metadataObjectName('p'), sha256ObjectName('p')]).toEqual(['p_metadata', 'p_sha256file']);
  });
});

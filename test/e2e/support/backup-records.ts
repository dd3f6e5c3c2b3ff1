import { closeSync, openSync, readSync } from 'node:fs';
import type { StrataClient } from './strata-client';

/** The JSON inside a backup_url (standard base64, as Cinder writes it). */
export const decodeRecordUrl = (url: string): Record<string, unknown> => JSON.parse(Buffer.from(url, 'base64').toString('utf8'));

/** Cinder's Backup fields in encode_record's order, after `driver_info`. */
export const CINDER_RECORD_KEYS = [
  'driver_info',
  'id',
  'user_id',
  'project_id',
  'volume_id',
  'host',
  'availability_zone',
  'container',
  'parent_id',
  'status',
  'fail_reason',
  'size',
  'display_name',
  'display_description',
  'service_metadata',
  'service',
  'object_count',
  'temp_volume_id',
  'temp_snapshot_id',
  'num_dependent_backups',
  'snapshot_id',
  'data_timestamp',
  'restore_volume_id',
  'metadata',
  'encryption_key_id',
  'created_at',
  'updated_at',
  'deleted_at',
  'deleted',
];

export const exportRecord = async (client: StrataClient, backupId: string) => {
  const res = await client.get(`/v3/backups/${backupId}/export_record`);
  if (res.status !== 200) throw new Error(`export_record: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body['backup-record'] as { backup_service: string; backup_url: string };
};

export const importRecord = (client: StrataClient, record: { backup_service: string; backup_url: string }) =>
  client.post('/v3/backups/import_record', { 'backup-record': record });

/** Restores into a new volume and waits for both to settle; returns the new volume's id. */
export const restoreToNewVolume = async (client: StrataClient, backupId: string): Promise<string> => {
  const res = await client.post(`/v3/backups/${backupId}/restore`, { restore: { name: `from-${backupId}` } });
  if (res.status !== 202) throw new Error(`restore: ${res.status} ${JSON.stringify(res.body)}`);
  await client.waitFor(`/v3/backups/${backupId}`, (b: any) => b.backup.status === 'available');
  const volume = await client.waitFor(`/v3/volumes/${res.body.restore.volume_id}`, (b: any) => b.volume.status !== 'restoring-backup');
  if (volume.volume.status !== 'available') throw new Error(`restore ended with the volume ${volume.volume.status}`);
  return res.body.restore.volume_id;
};

/** The first `length` bytes of a file (the restored volume is larger than the source image). */
export const headOf = (path: string, length: number): Buffer => {
  const buf = Buffer.alloc(length);
  const fd = openSync(path, 'r');
  try {
    for (let off = 0; off < length;) {
      const n = readSync(fd, buf, off, length - off, off);
      if (n === 0) break;
      off += n;
    }
  } finally {
    closeSync(fd);
  }
  return buf;
};

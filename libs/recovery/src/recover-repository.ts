import { PosixRepository, readBackupMetadata, readSha256File, scanPosixRepository } from '@strata/chunked-driver';
import type { StrataOptions } from '@strata/config';
import { backupDecider, backupStreamId, InvalidBackup, InvalidInput, type EventMeta } from '@strata/domain';
import { decideAndAppend, type EventStore } from '@strata/event-store';
import { realpathSync } from 'node:fs';
import { backupFromMetadata } from './backup-from-metadata';

export interface RecoveryRequest {
  /** A posix repository root; it must be the configured `backup_posix_path`, the only one restores read. */
  readonly path: string | null;
  readonly projectId: string;
  readonly userId: string;
  readonly meta: EventMeta;
  readonly now: string;
}

export interface RecoveryReport {
  readonly repository: { readonly driver: 'posix'; readonly path: string };
  readonly recovered: { id: string; name: string | null; parent_id: string | null; container: string; status: string }[];
  /** Objects without `_metadata` (Cinder's commit marker): a backup that never finished. Never listed. */
  readonly incomplete: { id: string | null; container: string; prefix: string; data_objects: number; reason: string }[];
  readonly skipped: { id: string | null; container: string; prefix: string; reason: string }[];
  /** The last position appended, for the caller to wait on before it answers. */
  readonly position: bigint;
}

export class RepositoryNotConfigured extends InvalidBackup {
  constructor(path: string, configured: string) {
    super(
      `Repository ${path} is not the configured backup_posix_path ${configured}: Strata restores only from the ` +
        'configured repository, so point backup_posix_path at it (or recover without a path).',
    );
  }
}

const samePath = (a: string, b: string) => {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
};

/**
 * After the log was lost: finds every backup in the repository by its `_metadata`, and records each one
 * the log does not know as BackupImported. Chains need no ordering (each backup names its parent). A
 * backup the log already has is skipped, so recovering twice records nothing new.
 */
export const recoverRepository = async (store: EventStore, options: StrataOptions, r: RecoveryRequest): Promise<RecoveryReport> => {
  const root = options.backup_posix_path;
  if (r.path !== null && !samePath(r.path, root)) throw new RepositoryNotConfigured(r.path, root);
  // Only a POSIX repository can be scanned: it is read where it lies, whatever driver backs up now.
  const repository = new PosixRepository(root);
  const report: RecoveryReport = { repository: { driver: 'posix', path: root }, recovered: [], incomplete: [], skipped: [], position: 0n };
  let position = 0n;
  for await (const found of scanPosixRepository(root)) {
    const { container, prefix, backupId } = found;
    if (!found.hasMetadata) {
      report.incomplete.push({
        id: backupId,
        container,
        prefix,
        data_objects: found.dataObjects,
        reason: 'no _metadata object: the backup never finished writing',
      });
      continue;
    }
    const skip = (reason: string, id = backupId) => report.skipped.push({ id, container, prefix, reason });
    if (container === '') {
      skip('objects at the repository root are outside any container');
      continue;
    }
    let fields;
    let id: string;
    try {
      const metadata = await readBackupMetadata(repository, container, prefix);
      const sha = await readSha256File(repository, container, prefix);
      fields = backupFromMetadata(container, prefix, metadata, sha);
      id = metadata.backupId.toLowerCase();
    } catch (error) {
      skip(`unreadable: ${(error as Error).message}`);
      continue;
    }
    try {
      const appended = await decideAndAppend(
        store,
        backupStreamId(id),
        backupDecider,
        {
          type: 'ImportBackup',
          data: {
            backupId: id,
            projectId: r.projectId,
            userId: r.userId,
            requestedService: null,
            service: options.backup_driver,
            availabilityZone: options.storage_availability_zone,
            fields,
            source: 'repository',
            now: r.now,
          },
        },
        r.meta,
      );
      position = appended.position > position ? appended.position : position;
      report.recovered.push({ id, name: fields.name ?? null, parent_id: fields.parentId ?? null, container, status: 'available' });
    } catch (error) {
      // A `_metadata` whose fields no catalog row can hold (an id that is not a UUID, a size out of bounds)
      // is reported, like an unreadable one, instead of failing the whole recovery.
      if (error instanceof InvalidInput) skip(`not recoverable: ${error.message}`, id);
      else if (error instanceof InvalidBackup) skip('already in the catalog', id);
      else throw error;
    }
  }
  return { ...report, position };
};

import type { Catalog, BackupRow } from '@strata/catalog';
import { backupDecider, BackupNotFound, backupStreamId, type BackupCommand } from '@strata/domain';
import { decideAndAppend, type EventStore } from '@strata/event-store';
import { catchUpBackupWorkflows, stateOf, type QuotaDefaults } from '@strata/workflows';
import type { RequestContext } from '../../context/request-context';
import { eventMetaOf, type Appended } from '../../shared/event-meta';
import { itemScopeOf } from '../../shared/scope';

/**
 * The shape of every command on one existing backup: find it in the caller's scope (another project's
 * backup is a 404), build the command from its row, decide and append on its stream. `beforeAppend`:
 * a check Cinder makes after its own validation of the command (a backup service to send it to): the
 * command is first decided without appending, so its refusals come first, as in Cinder.
 */
export const decideOnBackup = async (
  store: EventStore,
  catalog: Catalog,
  ctx: RequestContext,
  backupId: string,
  commandFor: (backup: BackupRow) => BackupCommand,
  quotaDefaults: QuotaDefaults,
  beforeAppend?: (backup: BackupRow) => Promise<void>,
): Promise<Appended> => {
  const backup = catalog.getBackup(backupId, itemScopeOf(ctx));
  if (!backup) throw new BackupNotFound(backupId);
  const meta = eventMetaOf(ctx);
  // Decided on the state the caller sees: a workflow the worker has not advanced yet is advanced here.
  await catchUpBackupWorkflows(
    store,
    {
      record: (streamId, decider, command, idempotencyKey, options) =>
        decideAndAppend(store, streamId, decider, command, meta, { idempotencyKey, ...options }),
    },
    backup,
    new Date().toISOString(),
    quotaDefaults,
  );
  if (beforeAppend) {
    backupDecider.decide(commandFor(backup), await stateOf(store, backupStreamId(backup.id), backupDecider));
    await beforeAppend(backup);
  }
  const appended = await decideAndAppend(store, backupStreamId(backup.id), backupDecider, commandFor(backup), meta);
  return { id: backup.id, position: appended.position };
};

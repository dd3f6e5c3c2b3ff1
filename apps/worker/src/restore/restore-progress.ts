import { backupDecider, backupStreamId } from '@strata/domain';
import type { JobRecorder } from '../job-recorder';

/** Often enough for a progress bar, rarely enough that a long restore adds only a few hundred events. */
export const RESTORE_PROGRESS_INTERVAL_MS = 2_000;

export interface RestoreProgressReport {
  readonly bytesDone: number;
  readonly bytesTotal: number;
  readonly objectsDone: number;
}

/**
 * Turns the restore engine's per-object progress into `RestoreProgressed` events: the first report at
 * once (it carries the size), then at most one per interval. Appends run one at a time off the engine's
 * path; `flush` waits for the last one, so the outcome is always recorded after the progress.
 */
export class RestoreProgressRecorder {
  private lastAt = -Infinity;
  private pending: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly recorder: JobRecorder,
    private readonly target: { readonly backupId: string; readonly volumeId: string },
    private readonly clock: () => Date,
    private readonly intervalMs = RESTORE_PROGRESS_INTERVAL_MS,
  ) {}

  report(p: RestoreProgressReport): void {
    const now = this.clock();
    if (now.getTime() - this.lastAt < this.intervalMs) return;
    this.lastAt = now.getTime();
    const { backupId, volumeId } = this.target;
    this.pending = this.pending
      .then(() => this.recorder.record(backupStreamId(backupId), backupDecider, {
        type: 'RecordRestoreProgress', data: { backupId, volumeId, ...p, now: now.toISOString() },
      }))
      // Progress is advisory: a failed append must not fail the restore, whose outcome is recorded anyway.
      .catch(() => undefined);
  }

  flush(): Promise<unknown> {
    return this.pending;
  }
}

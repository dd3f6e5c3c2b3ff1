import { setTimeout as sleep } from 'node:timers/promises';
import { call } from './strata-http';
import { ProgressReporter, type ProgressSink } from './progress';
import { CliExit, strataV1, type Item, type VerbContext } from './verbs/verb-kit';

interface JobView {
  readonly kind: 'backup' | 'restore';
  readonly bytes_done: number;
  readonly bytes_total: number | null;
}
interface ProgressView {
  readonly status: string;
  readonly size_bytes: number;
  readonly fail_reason: string | null;
  readonly job: JobView | null;
}

export type WaitTarget =
  | { readonly kind: 'backup'; readonly backupId: string }
  | { readonly kind: 'restore'; readonly backupId: string; readonly volumeId: string };

const POLL_MS = 500;
const PLAIN_EVERY_MS = 5_000;

const stderrSink: ProgressSink = {
  get isTTY() {
    return Boolean(process.stderr.isTTY);
  },
  write: (text) => void process.stderr.write(text),
};

/** How to stop what --wait was watching, printed when the user stops waiting with Ctrl-C. */
const cancelHint = (t: WaitTarget) =>
  t.kind === 'backup'
    ? `Backup ${t.backupId} keeps running. To cancel it: strata backup delete --force ${t.backupId}`
    : `The restore of backup ${t.backupId} into volume ${t.volumeId} keeps running. To cancel it: strata backup set --state error ${t.backupId}`;

/**
 * `--wait`: polls the job's progress (`GET /strata/v1/backups/{id}/progress`) and draws it on stderr until
 * the backup or restore ends. Resolves on success; a failure throws with the reason. Ctrl-C stops waiting,
 * not the job: it prints how to cancel and ends the command with 130.
 */
export const waitForJob = async (ctx: VerbContext, target: WaitTarget, sink: ProgressSink = stderrSink): Promise<void> => {
  const env = ctx.env ?? process.env;
  const plainEvery = Number(env.STRATA_PROGRESS_INTERVAL ?? PLAIN_EVERY_MS / 1000) * 1000;
  const reporter = new ProgressReporter(`${target.kind} ${target.backupId.slice(0, 8)}`, sink, plainEvery);
  let interrupted = false;
  let wake: () => void = () => undefined;
  const onSigint = () => {
    interrupted = true;
    wake();
  };
  process.on('SIGINT', onSigint);
  try {
    for (;;) {
      if (interrupted) break;
      const { progress } = await call<{ progress: ProgressView }>(strataV1(ctx.http), 'GET', `/backups/${target.backupId}/progress`);
      const job = progress.job?.kind === target.kind ? progress.job : null;
      const running = progress.status === (target.kind === 'backup' ? 'creating' : 'restoring');
      if (job) reporter.update({ bytesDone: job.bytes_done, bytesTotal: job.bytes_total, atMs: Date.now() });
      if (!running) return await finish(ctx, target, progress, reporter);
      await new Promise<void>((resolve) => {
        wake = resolve;
        void sleep(POLL_MS).then(resolve);
      });
    }
    reporter.finish();
    console.error(`Stopped waiting. ${cancelHint(target)}`);
    throw new CliExit(130);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
};

const finish = async (ctx: VerbContext, target: WaitTarget, progress: ProgressView, reporter: ProgressReporter) => {
  if (target.kind === 'backup') {
    if (progress.status === 'available') {
      reporter.complete(Date.now(), progress.size_bytes);
      reporter.finish();
      return;
    }
    reporter.finish();
    throw new Error(
      `Backup ${target.backupId} ended in status ${progress.status}${progress.fail_reason ? `: ${progress.fail_reason}` : '.'}`,
    );
  }
  const { volume } = await call<{ volume: Item & { status: string } }>(ctx.http, 'GET', `/volumes/${target.volumeId}`);
  if (volume.status === 'available') reporter.complete(Date.now(), undefined, progress.size_bytes);
  reporter.finish();
  if (volume.status !== 'available')
    throw new Error(`Restore of backup ${target.backupId} into volume ${target.volumeId} failed: the volume is ${volume.status}.`);
};

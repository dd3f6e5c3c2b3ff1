import { formatBytes } from './output';

export interface ProgressSample {
  readonly bytesDone: number;
  /** Unknown until the job has sized its work (a restore before its first progress event). */
  readonly bytesTotal: number | null;
  /** Milliseconds, from the caller's clock. */
  readonly atMs: number;
}

/** Rates come from the samples of the last few seconds, so a stall shows soon and one burst does not dominate. */
const RATE_WINDOW_MS = 5_000;
const BAR_WIDTH = 24;

const pad2 = (n: number) => String(n).padStart(2, '0');

/** 75 → "1:15", 3725 → "1:02:05". */
export const formatDuration = (seconds: number) => {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad2(m)}:${pad2(s % 60)}` : `${m}:${pad2(s % 60)}`;
};

/** Bytes per second over the recent samples; null before two samples span any time. */
export const rateOf = (samples: readonly ProgressSample[]): number | null => {
  const last = samples[samples.length - 1];
  if (!last) return null;
  const first = samples.find((s) => last.atMs - s.atMs <= RATE_WINDOW_MS) ?? last;
  const dt = (last.atMs - first.atMs) / 1000;
  return dt > 0 ? Math.max(0, last.bytesDone - first.bytesDone) / dt : null;
};

/**
 * One progress line: `backup 3f2a… [#######.........]  45.0%  460.8 MiB / 1.0 GiB  52.3 MB/s  ETA 0:12`.
 * Rates are in MB/s (10^6 bytes), as throughput is usually quoted; sizes in binary units.
 */
export const renderProgress = (label: string, samples: readonly ProgressSample[], withBar: boolean) => {
  const last = samples[samples.length - 1] ?? { bytesDone: 0, bytesTotal: null, atMs: 0 };
  const rate = rateOf(samples);
  const parts = [label];
  if (last.bytesTotal) {
    const fraction = Math.min(1, last.bytesDone / last.bytesTotal);
    const filled = Math.round(fraction * BAR_WIDTH);
    if (withBar) parts.push(`[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`);
    parts.push(`${(fraction * 100).toFixed(1).padStart(5)}%`, `${formatBytes(last.bytesDone)} / ${formatBytes(last.bytesTotal)}`);
  } else parts.push(formatBytes(last.bytesDone));
  parts.push(rate === null ? '-- MB/s' : `${(rate / 1e6).toFixed(1)} MB/s`);
  if (last.bytesTotal && rate) parts.push(`ETA ${formatDuration((last.bytesTotal - last.bytesDone) / rate)}`);
  return parts.join('  ');
};

export interface ProgressSink {
  readonly isTTY: boolean;
  write(text: string): void;
}

/**
 * Draws progress on stderr: a bar redrawn in place on a terminal, or a plain line every `plainEveryMs`
 * otherwise (logs and CI), so a redirected stderr stays readable.
 */
export class ProgressReporter {
  private readonly samples: ProgressSample[] = [];
  private lastPlainAt = -Infinity;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly sink: ProgressSink,
    private readonly plainEveryMs: number,
  ) {}

  update(sample: ProgressSample) {
    this.samples.push(sample);
    while (this.samples.length > 2 && sample.atMs - this.samples[1].atMs > RATE_WINDOW_MS) this.samples.shift();
    if (this.sink.isTTY) {
      this.sink.write(`\r\x1b[K${renderProgress(this.label, this.samples, true)}`);
      this.drawn = true;
    } else if (sample.atMs - this.lastPlainAt >= this.plainEveryMs) {
      this.lastPlainAt = sample.atMs;
      this.sink.write(`${renderProgress(this.label, this.samples, false)}\n`);
    }
  }

  /**
   * The job ended well: show it complete, at `totalBytes`, else at the total its progress gave (a restore's
   * last progress event may be a little behind), else at `otherwise` (a restore that ended before a poll
   * saw its first progress event: only its size is known then).
   */
  complete(atMs: number, totalBytes?: number, otherwise?: number) {
    const total = totalBytes ?? this.samples[this.samples.length - 1]?.bytesTotal ?? otherwise;
    if (total) this.update({ bytesDone: total, bytesTotal: total, atMs });
  }

  /** Ends the bar's line (a terminal) or prints the last state (plain). */
  finish(finalLine?: string) {
    if (this.sink.isTTY) {
      if (this.drawn) this.sink.write(`\r\x1b[K${renderProgress(this.label, this.samples, true)}\n`);
    } else if (this.samples.length > 0 && this.lastPlainAt !== this.samples[this.samples.length - 1].atMs)
      this.sink.write(`${renderProgress(this.label, this.samples, false)}\n`);
    if (finalLine) this.sink.write(`${finalLine}\n`);
  }
}

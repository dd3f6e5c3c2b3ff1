import type { LoggerService, LogLevel } from '@nestjs/common';

export type JsonLogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<JsonLogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface JsonLogSink {
  write(line: string): void;
}

const stdoutSink: JsonLogSink = { write: (line) => void process.stdout.write(line) };

/** Fields the line's own keys must not be overwritten by. */
const RESERVED = new Set(['time', 'level', 'msg']);

/**
 * One JSON object per line on stdout: `time`, `level`, `msg`, then `context` and any fields given
 * (a request's `requestId`/`correlationId`, a job's `backupId`). Nest's own messages go through it too.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly minimum: JsonLogLevel = 'info',
    private readonly sink: JsonLogSink = stdoutSink,
  ) {}

  /** A structured line: what the request log and jobs call. */
  write(level: JsonLogLevel, msg: string, fields: Record<string, unknown> = {}) {
    if (RANK[level] < RANK[this.minimum]) return;
    const extra = Object.fromEntries(Object.entries(fields).filter(([k, v]) => !RESERVED.has(k) && v !== undefined));
    this.sink.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...extra })}\n`);
  }

  log(message: unknown, ...rest: unknown[]) {
    this.nest('info', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]) {
    this.nest('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]) {
    this.nest('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]) {
    this.nest('debug', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]) {
    this.nest('error', message, rest);
  }
  error(message: unknown, ...rest: unknown[]) {
    // Nest passes (message, stack, context) or (message, context).
    const [a, b] = rest;
    if (rest.length >= 2) this.write('error', text(message), { context: b, stack: a });
    else this.nest('error', message, rest);
  }

  setLogLevels?(levels: LogLevel[]) {
    void levels;
  }

  private nest(level: JsonLogLevel, message: unknown, rest: unknown[]) {
    const context = typeof rest[rest.length - 1] === 'string' ? rest[rest.length - 1] : undefined;
    if (message !== null && typeof message === 'object' && !(message instanceof Error))
      this.write(level, 'msg' in message ? String((message as { msg: unknown }).msg) : '', {
        context,
        ...(message as Record<string, unknown>),
      });
    else this.write(level, text(message), { context });
  }
}

const text = (m: unknown) => (m instanceof Error ? (m.stack ?? m.message) : String(m));

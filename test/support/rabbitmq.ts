import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const PORT = process.env.STRATA_RABBITMQ_PORT ?? '5673';

/** The private RabbitMQ of scripts/rabbitmq.sh (127.0.0.1, its own port and data directory). */
export const rabbitmq = {
  url: `rabbit://guest:guest@127.0.0.1:${PORT}/`,
  start: () => run('bash', [join(ROOT, 'scripts/rabbitmq.sh'), 'start'], { timeout: 120_000 }),
  stop: () => run('bash', [join(ROOT, 'scripts/rabbitmq.sh'), 'stop'], { timeout: 120_000 }),
};

/** One notification as oslo.messaging's listener hands it to an endpoint. */
export interface ReceivedNotification {
  readonly priority: string;
  readonly event_type: string;
  readonly publisher_id: string;
  readonly payload: Record<string, any>;
  readonly metadata: { message_id: string; timestamp: string };
  readonly ctxt: Record<string, unknown>;
}

/**
 * oslo.messaging's own notification listener (test/notifications/oslo_listener.py, Debian's
 * python3-oslo.messaging) on one exchange and topic, collecting what it receives.
 */
export class OsloListener {
  readonly received: ReceivedNotification[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {}

  static async start(url: string, exchange: string, topic: string): Promise<OsloListener> {
    const child = spawn('/usr/bin/python3', [join(ROOT, 'test/notifications/oslo_listener.py'), url, exchange, topic], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const listener = new OsloListener(child);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const ready = new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the oslo listener exited (${code}): ${stderr}`)));
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line === 'LISTENING') return resolve();
        if (!line.startsWith('{')) return;
        listener.received.push(JSON.parse(line) as ReceivedNotification);
        for (const w of listener.waiters) w();
      });
    });
    await ready;
    return listener;
  }

  /** Resolves once `done` holds for what was received (the suite's timeout bounds the wait). */
  until(done: (received: readonly ReceivedNotification[]) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!done(this.received)) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** Runs Cinder's own `_usage_from_backup` and returns the keys of what it builds. */
export const cinderBackupUsageKeys = async (): Promise<string[]> => {
  const { stdout } = await run('/usr/bin/python3', [join(ROOT, 'test/notifications/cinder_usage_keys.py')], { timeout: 60_000 });
  return (JSON.parse(stdout) as { keys: string[] }).keys;
};

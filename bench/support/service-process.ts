import { SERVICE_NODE_FLAGS } from '@strata/threads';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, get as httpGet } from 'node:http';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';

/** An admin of project-1 under the noauth strategy, at the newest microversion. */
export const ADMIN = { 'X-Auth-Token': 'admin:project-1', 'OpenStack-API-Version': 'volume 3.70' };
const MAIN = resolve(__dirname, '../../apps/strata/src/main.js');

export const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

export const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
};

export const freePort = async () => {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
};

/** The server's resident memory now and at its peak, from /proc. */
const memoryOf = (child: ChildProcess) => {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
};

/** CPU milliseconds (user + system) each live thread of process `pid` has used, by thread id, from /proc. */
const cpuByThread = (pid: number): Map<number, number> => {
  const out = new Map<number, number>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // After the name, which may hold spaces: state is the 1st field, utime the 12th, stime the 13th (clock ticks of 10 ms).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // The thread ended between the listing and the read: its last sample stands.
    }
  }
  return out;
};

/** Where a process's CPU went while something ran: its event loop (the main thread), its busiest other thread, the rest. */
export interface CpuSpent {
  readonly eventLoopMs: number;
  readonly busiestThreadMs: number;
  readonly otherThreadsMs: number;
}

/**
 * Samples a process's threads every 100 ms from this call to `stop`, so that a thread that ends before then
 * (a catalog build's) still counts what it used up to its last sample (at most 100 ms short).
 */
export const sampleCpu = (pid: number): { stop(): CpuSpent } => {
  const first = cpuByThread(pid);
  const last = new Map(first);
  const timer = setInterval(() => {
    for (const [tid, ms] of cpuByThread(pid)) last.set(tid, ms);
  }, 100);
  return {
    stop: () => {
      clearInterval(timer);
      for (const [tid, ms] of cpuByThread(pid)) last.set(tid, ms);
      const spent = [...last].map(([tid, ms]) => ({ tid, ms: ms - (first.get(tid) ?? 0) }));
      const eventLoopMs = spent.find((t) => t.tid === pid)?.ms ?? 0;
      const others = spent.filter((t) => t.tid !== pid).map((t) => t.ms);
      const busiestThreadMs = Math.max(0, ...others);
      return { eventLoopMs, busiestThreadMs, otherThreadsMs: others.reduce((a, b) => a + b, 0) - busiestThreadMs };
    },
  };
};

/** The built service (`npm run build`) as its own process, on its embedded defaults and `dir` as its state path. */
export class Server {
  private child: ChildProcess | null = null;
  /** The connections `get` keeps open, as the CLIs' sessions do; one per client at a time. */
  private readonly agent = new Agent({ keepAlive: true });
  readonly baseUrl: string;
  constructor(
    private readonly dir: string,
    private readonly port: number,
    /** More of the service's environment (`STRATA_<OPTION>`). */
    private readonly env: Readonly<Record<string, string>> = {},
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  /** Starts the service and resolves once `/readyz` says 200: the cold-start time when the catalog is gone. */
  async start(): Promise<number> {
    const started = performance.now();
    this.child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, MAIN], {
      env: {
        ...process.env,
        STRATA_STATE_PATH: this.dir,
        STRATA_OSAPI_VOLUME_LISTEN_PORT: String(this.port),
        STRATA_OSAPI_VOLUME_LISTEN: '127.0.0.1',
        STRATA_LOG_LEVEL: 'error',
        ...this.env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`the service exited with ${this.child.exitCode}`);
      const ok = await fetch(`${this.baseUrl}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return performance.now() - started;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  memory() {
    return memoryOf(this.child!);
  }

  /** Starts sampling the service's threads' CPU (see `sampleCpu`). */
  sampleCpu(): { stop(): CpuSpent } {
    return sampleCpu(this.child!.pid!);
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    await once(this.child, 'exit');
  }

  /**
   * A GET as the admin, timed to the answer's last byte, through `node:http` on kept-alive connections. Not
   * `fetch`: its own work in this process added 0.2–0.3 ms to the p50 and 1.3–2.3 ms to the p99 of a server
   * that answers "ok" and nothing else (1,000 in a row: 0.33–0.36 / 3.2–4.0 ms against 0.13–0.16 / 1.7–1.9 ms,
   * 2026-12-07), which the 5 ms a name lookup may take could not tell apart from the service's.
   */
  get(path: string): Promise<{ status: number; ms: number }> {
    const started = performance.now();
    return new Promise((resolveGet, reject) => {
      const req = httpGet(`${this.baseUrl}${path}`, { headers: ADMIN, agent: this.agent }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => resolveGet({ status: res.statusCode ?? 0, ms: performance.now() - started }));
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  }

  /** A JSON request as the admin; a status of 300 or more throws, with the body. */
  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...ADMIN, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }
}

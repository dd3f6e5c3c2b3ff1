import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { CHROMIUM } from './chromium';

interface Pending {
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/**
 * A headless Chromium driven through the DevTools protocol over `--remote-debugging-pipe` (JSON messages
 * ended by NUL on file descriptors 3 and 4, as puppeteer's pipe transport speaks it), for pages a test
 * must act on, not only load: type into a form, submit it, wait for what the page draws. No package:
 * Debian's `chromium` and Node's streams.
 */
export class ChromiumSession {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private buffer = '';

  private constructor(
    private readonly browser: ChildProcess,
    private readonly profile: string,
    private readonly toBrowser: Writable,
    private sessionId = '',
  ) {}

  /** A fresh profile (empty localStorage) and one blank tab. */
  static async open(): Promise<ChromiumSession> {
    const profile = mkdtempSync(join(tmpdir(), 'strata-chromium-'));
    const browser = spawn(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--no-first-run',
        '--remote-debugging-pipe',
        `--user-data-dir=${profile}`,
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
    );
    const session = new ChromiumSession(browser, profile, browser.stdio[3] as Writable);
    (browser.stdio[4] as Readable).setEncoding('utf8').on('data', (text: string) => session.receive(text));
    browser.on('exit', () => session.failAll(new Error('chromium exited')));
    const { targetId } = (await session.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await session.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    session.sessionId = sessionId;
    await session.send('Page.enable');
    return session;
  }

  /** Navigates, and returns once the new document has loaded (the old one could answer until then). */
  async goto(url: string): Promise<void> {
    await this.evaluate('window.__strataLeaving = true').catch(() => undefined);
    await this.send('Page.navigate', { url });
    await this.waitFor(`!window.__strataLeaving && document.readyState === 'complete'`);
  }

  /** The value of a JavaScript expression in the page (awaited when it is a promise). */
  async evaluate<T>(expression: string): Promise<T> {
    const answer = (await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as {
      result: { value?: T };
      exceptionDetails?: { text: string; exception?: { description?: string } };
    };
    if (answer.exceptionDetails)
      throw new Error(`in the page: ${answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text}`);
    return answer.result.value as T;
  }

  /** Waits until the expression is truthy in the page, polling; fails after `timeoutMs`. */
  async waitFor(expression: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // A navigation in progress has no document to ask yet: that is not yet, not a failure.
      if (await this.evaluate<boolean>(`Boolean(${expression})`).catch(() => false)) return;
      if (Date.now() > deadline) throw new Error(`the page never reached: ${expression}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** A PNG of the viewport. */
  async screenshot(): Promise<Buffer> {
    const { data } = (await this.send('Page.captureScreenshot', { format: 'png' })) as { data: string };
    return Buffer.from(data, 'base64');
  }

  /** The page's DOM as HTML, as `--dump-dom` prints it. */
  html(): Promise<string> {
    return this.evaluate<string>('document.documentElement.outerHTML');
  }

  async close(): Promise<void> {
    await this.send('Browser.close', {}, false).catch(() => undefined);
    if (this.browser.exitCode === null) {
      const exited = new Promise((r) => this.browser.once('exit', r));
      const timer = setTimeout(() => this.browser.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.profile, { recursive: true, force: true });
  }

  private send(method: string, params: Record<string, unknown> = {}, inSession = true): Promise<unknown> {
    const id = this.nextId++;
    const message = { id, method, params, ...(inSession && this.sessionId ? { sessionId: this.sessionId } : {}) };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.toBrowser.write(`${JSON.stringify(message)}\0`);
    });
  }

  private receive(text: string) {
    this.buffer += text;
    let end: number;
    while ((end = this.buffer.indexOf('\0')) >= 0) {
      const message = JSON.parse(this.buffer.slice(0, end)) as { id?: number; result?: unknown; error?: { message: string } };
      this.buffer = this.buffer.slice(end + 1);
      const waiting = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!waiting) continue; // an event: nothing here listens to them
      this.pending.delete(message.id!);
      if (message.error) waiting.reject(new Error(message.error.message));
      else waiting.resolve(message.result);
    }
  }

  private failAll(error: Error) {
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}

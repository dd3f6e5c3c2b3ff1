import { spawn } from 'node:child_process';
import { Transform, type TransformCallback } from 'node:stream';
import type { Codec } from './codec';

const BZIP2 = '/usr/bin/bzip2';

/** Streams through the system bzip2 (Node has no bz2); the child process is the extra core. */
class Bzip2Process extends Transform {
  private readonly child;
  private readonly exited: Promise<void>;
  private stderr = '';

  constructor(args: string[]) {
    super();
    this.child = spawn(BZIP2, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (d: Buffer) => {
      if (!this.push(d)) this.child.stdout.pause();
    });
    this.child.stderr.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    this.child.stdin.on('error', () => undefined); // surfaced through the exit status
    const stdoutEnded = new Promise<void>((resolve) => this.child.stdout.on('end', resolve));
    this.exited = new Promise<void>((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`bzip2 ${args.join(' ')} exited with ${code}: ${this.stderr.trim()}`)),
      );
    }).then(() => stdoutEnded);
    this.exited.catch((e: Error) => this.destroy(e));
  }

  override _read(size: number): void {
    this.child.stdout.resume();
    super._read(size);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.child.stdin.write(chunk, (e) => done(e ?? null));
  }

  override _flush(done: TransformCallback): void {
    this.child.stdin.end();
    this.exited.then(() => done(), done);
  }

  override _destroy(err: Error | null, done: (e: Error | null) => void): void {
    if (this.child.exitCode === null) this.child.kill();
    done(err);
  }
}

export const bz2Codec: Codec = {
  name: 'bz2',
  compressor: ({ level }) => new Bzip2Process([`-${level}`, '-c']),
  decompressor: () => new Bzip2Process(['-d', '-c']),
};

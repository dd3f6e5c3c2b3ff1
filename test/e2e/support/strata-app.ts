import type { INestApplication } from '@nestjs/common';
import { loadConfig, type StrataOptions } from '@strata/config';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStrataApp } from '../../../apps/strata/src/create-strata-app';
import { UNLIMITED_QUOTAS } from './quotas';
import { StrataClient } from './strata-client';

export interface RunningStrata {
  readonly app: INestApplication;
  readonly options: StrataOptions;
  readonly client: StrataClient;
  readonly baseUrl: string;
  readonly stateDir: string;
  /** Where tests put files to manage: beside the state directory, never in it (managed_volume_paths names it). */
  readonly managedDir: string;
  close(): Promise<void>;
}

/**
 * The directory for files to manage that goes with a state directory: a sibling, because Strata refuses
 * to manage anything under its state_path. Whoever removes a state directory it passed to startStrata
 * removes this one too.
 */
export const managedDirOf = (stateDir: string) => `${stateDir}.managed`;

/** Boots the real app (api + worker, SQLite stores, posix repository) on a free port in a temp state dir. */
export const startStrata = async (env: Record<string, string> = {}, stateDir?: string): Promise<RunningStrata> => {
  const dir = stateDir ?? mkdtempSync(join(tmpdir(), 'strata-e2e-'));
  const managedDir = managedDirOf(dir);
  mkdirSync(managedDir, { recursive: true });
  const options = loadConfig({
    env: {
      STRATA_STATE_PATH: dir,
      STRATA_OSAPI_VOLUME_LISTEN_PORT: '0',
      STRATA_LOG_LEVEL: 'error',
      STRATA_BACKUP_FILE_SIZE: String(64 * 1024 * 1024),
      STRATA_MANAGED_VOLUME_PATHS: managedDir,
      ...UNLIMITED_QUOTAS,
      ...env,
    },
    cwd: dir,
  });
  const { app, drainConnections } = await createStrataApp(options);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const baseUrl = `http://127.0.0.1:${address.port}`;
  return {
    app,
    options,
    baseUrl,
    stateDir: dir,
    managedDir,
    client: new StrataClient(baseUrl),
    async close() {
      drainConnections();
      await app.close();
      if (stateDir) return;
      rmSync(dir, { recursive: true, force: true });
      rmSync(managedDir, { recursive: true, force: true });
    },
  };
};

export interface TokenGrant {
  readonly user_id: string;
  readonly project_id: string;
  readonly roles: readonly string[];
}

/** `startStrata` with `auth_strategy = tokens`: the token file (`{"tokens": {...}}`) is written beside the state. */
export const startStrataWithTokens = async (
  tokens: Record<string, TokenGrant>,
  env: Record<string, string> = {},
): Promise<RunningStrata> => {
  const tokenFile = join(mkdtempSync(join(tmpdir(), 'strata-tokens-')), 'tokens.json');
  writeFileSync(tokenFile, JSON.stringify({ tokens }));
  return startStrata({ STRATA_AUTH_STRATEGY: 'tokens', STRATA_TOKEN_FILE: tokenFile, ...env });
};

/**
 * Strata on one state directory that a test stops and starts again (with or without its worker), for the
 * suites about restarts. Call it inside a `describe`: it makes a fresh directory before each test and
 * closes Strata and removes the directory after it.
 */
export const restartableStrata = (label: string) => {
  let stateDir = '';
  let running: RunningStrata | null = null;
  beforeEach(() => {
    stateDir = mkdtempSync(join(tmpdir(), label));
  });
  afterEach(async () => {
    await running?.close();
    running = null;
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(managedDirOf(stateDir), { recursive: true, force: true });
  });
  return {
    /** Stops the running Strata, if any, and starts it again on the same state. */
    restart: async (runWorker: boolean): Promise<RunningStrata> => {
      await running?.close();
      running = await startStrata({ STRATA_RUN_WORKER: String(runWorker) }, stateDir);
      return running;
    },
    /** The Strata started last. */
    get current(): RunningStrata {
      if (!running) throw new Error('Strata is not running: call restart() first');
      return running;
    },
  };
};

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's `chromium` package (scripts/install-test-deps.sh installs it). */
export const CHROMIUM = process.env.STRATA_CHROMIUM ?? 'chromium';

const baseArgs = (profile: string, budgetMs: number) => [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--hide-scrollbars',
  `--user-data-dir=${profile}`,
  `--virtual-time-budget=${budgetMs}`,
];

/** Loads `url` in headless Chromium (a fresh profile, so localStorage starts empty) and runs `args` on it. */
const withChromium = async (url: string, args: string[], budgetMs: number) => {
  const profile = mkdtempSync(join(tmpdir(), 'strata-chromium-'));
  try {
    return await run(CHROMIUM, [...baseArgs(profile, budgetMs), ...args, url], { timeout: 120_000, maxBuffer: 32 * 1024 * 1024 });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
};

/** The DOM after the page's scripts ran for `budgetMs` of virtual time (network waits do not count). */
export const dumpDom = async (url: string, budgetMs = 8_000): Promise<string> => (await withChromium(url, ['--dump-dom'], budgetMs)).stdout;

export const screenshot = async (url: string, path: string, size = '1280,900', budgetMs = 8_000): Promise<void> => {
  await withChromium(url, [`--screenshot=${path}`, `--window-size=${size}`], budgetMs);
};

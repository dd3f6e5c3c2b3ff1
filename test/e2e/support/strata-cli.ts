import { runCli } from '../../../apps/cli/src/main';
import type { RunningStrata } from './strata-app';

/** Runs the `strata` CLI in-process against a running Strata and captures what it prints. */
export const strataCli = async (strata: RunningStrata, token: string, ...argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  const error = jest.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s));
  try {
    const code = await runCli(argv, { STRATA_URL: `${strata.baseUrl}/v3`, STRATA_TOKEN: token });
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
};

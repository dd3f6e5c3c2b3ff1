import { CINDER_OPTION_NAMES } from './cinder-option-names';
import { NESTED_SECTION_ENV_PREFIXES } from './nested-sections';
import { optionDefinitions } from './strata-options';

/**
 * Why Strata leaves some of Cinder's options alone, where a reason helps more than "not implemented".
 * An option that gets implemented joins `optionDefinitions` and is no longer reported, whatever this says.
 */
export const WHY_NOT: Readonly<Record<string, string>> = {
  backup_workers:
    'each worker process runs its jobs one subject at a time; start more worker processes instead (run_worker = false on api processes, apps/worker)',
  backup_native_threads_pool_size:
    "Strata's worker does its I/O through Node and compresses in its own codec pool; there is no native thread pool to size",
  backup_service_inithost_offload: 'the worker resumes unfinished jobs from the log at start-up, in the background already',
  message_reap_interval: 'messages expire when they are read (message_ttl); nothing is reaped',
  osapi_volume_workers: 'one api process serves on one port; run more processes behind a balancer',
  debug: 'use log_level = debug',
  verbose: 'use log_level',
  api_paste_config: 'Strata has no paste pipeline',
};

/** The names Strata reads from the environment besides `STRATA_<OPTION>`: not options, so never reported. */
const OTHER_VARIABLES = new Set([
  'STRATA_CONFIG',
  'STRATA_URL',
  'STRATA_TOKEN',
  'STRATA_PROGRESS_INTERVAL',
  'STRATA_CHROMIUM',
  'STRATA_CRASH_SEED',
  // The chunked engine's switches, read where it writes and deflates (`direct-writes.ts`, `native-deflate.ts`).
  'STRATA_DIRECT_IO',
  'STRATA_DEFLATE',
]);
// The nested sections' variables (STRATA_KEYSTONE_AUTHTOKEN_AUTH_URL) name their own options.
const OTHER_PREFIXES = ['STRATA_SAIO_', ...NESTED_SECTION_ENV_PREFIXES];

const isOption = (name: string): boolean => Object.prototype.hasOwnProperty.call(optionDefinitions, name);

/** Levenshtein distance, for "did you mean". */
const distance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
};

const closestOption = (name: string): string | null => {
  let best: { name: string; d: number } | null = null;
  for (const candidate of Object.keys(optionDefinitions)) {
    const d = distance(name, candidate);
    if (d <= Math.max(2, Math.floor(candidate.length / 6)) && (!best || d < best.d)) best = { name: candidate, d };
  }
  return best?.name ?? null;
};

/**
 * What is wrong with an option name that Strata does not declare, said from where it was written
 * (`strata.conf:12`, `environment STRATA_X`): a Cinder option Strata does not implement, or a name
 * neither knows (a typo, with the nearest option Strata has). Null for an option Strata declares.
 */
export const optionNameWarning = (name: string, where: string): string | null => {
  if (isOption(name)) return null;
  if (CINDER_OPTION_NAMES.has(name)) {
    const why = WHY_NOT[name];
    return `${where}: ${name} is a Cinder option that Strata does not implement; it is ignored${why ? ` (${why})` : ''}`;
  }
  const near = closestOption(name);
  return `${where}: unknown option ${name}; it is ignored${near ? ` (did you mean ${near}?)` : ''}`;
};

/**
 * The values the engine's switches understand; any other leaves the default on (`direct-writes.ts`,
 * `native-deflate.ts` read them where they work), so it is reported rather than silently taken.
 */
const SWITCH_VALUES: Readonly<Record<string, readonly string[]>> = { STRATA_DIRECT_IO: ['0', '1'], STRATA_DEFLATE: ['node'] };

const switchWarning = (key: string, value: string | undefined): string | null => {
  const values = SWITCH_VALUES[key];
  return values && value !== undefined && !values.includes(value)
    ? `environment ${key}=${value}: not one of ${values.join(', ')}; it is ignored (the default stays)`
    : null;
};

/** Warnings for `STRATA_*` variables that name no option Strata reads, and for engine switches set to a value they ignore. */
export const environmentWarnings = (env: NodeJS.ProcessEnv): string[] =>
  Object.keys(env)
    .filter((key) => key.startsWith('STRATA_') && !OTHER_PREFIXES.some((p) => key.startsWith(p)))
    .map((key) =>
      OTHER_VARIABLES.has(key)
        ? switchWarning(key, env[key])
        : optionNameWarning(key.slice('STRATA_'.length).toLowerCase(), `environment ${key}`),
    )
    .filter((w): w is string => w !== null);

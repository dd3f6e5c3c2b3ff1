import { parseArgs } from 'node:util';
import { resolveSettings } from './keystone-login';
import { CLI_OPTIONS } from './cli-options';
import { VERBS } from './verbs/index';
import { CliExit, specOf, UsageError, type VerbSpec } from './verbs/verb-kit';

const ENVIRONMENT = `Talks to STRATA_URL (default http://127.0.0.1:8776/v3) with STRATA_TOKEN (default admin:admin).
With OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME (and OS_*_DOMAIN_NAME, OS_REGION_NAME) it logs in
to Keystone and finds Strata in the catalog as block-storage, unless STRATA_URL names it.
Exit status: 0 done, 1 refused or failed, 2 usage error, 130 interrupted while waiting.`;

/**
 * Usage lines of verbs whose modules give a plain function rather than a VerbSpec (their help shows
 * this line); a module that moves to VerbSpec makes its line here unnecessary.
 */
const PLAIN_VERB_USAGE: Readonly<Record<string, string>> = {
  'backup events': 'backup events BACKUP   (same as: audit backup BACKUP)',
  'audit backup': 'audit backup BACKUP',
  'audit events': 'audit events [--since T] [--until T] [--type E]... [--project P] [--volume V]   (admin)',
  'audit as-of': 'audit as-of TIME [--all-projects]',
  'catalog export': 'catalog export [--backup B]... [--all] [--output FILE]   (admin)',
  'catalog import': 'catalog import FILE   (admin)',
  'catalog rebuild': 'catalog rebuild   (admin)',
  'backup export': 'backup export BACKUP',
  'backup import': 'backup import SERVICE URL',
  'backup verify': 'backup verify BACKUP [--no-wait]',
  'catalog recover': 'catalog recover [--repository PATH] [--project P]',
};

const describe = (key: string, verb: Parameters<typeof specOf>[1]): VerbSpec => {
  const spec = specOf(key, verb);
  return typeof verb === 'function' && PLAIN_VERB_USAGE[key] ? { ...spec, usage: PLAIN_VERB_USAGE[key] } : spec;
};

const specs = (): [string, VerbSpec][] => Object.entries(VERBS).map(([key, verb]) => [key, describe(key, verb)]);

const overview = (noun?: string) => {
  const lines = specs()
    .filter(([key]) => !noun || key.startsWith(`${noun} `))
    .map(([, s]) => `  strata ${s.usage}${s.summary ? `\n      ${s.summary}` : ''}`);
  return [`usage: strata [--json] <noun> <verb> [args] [--flags]`, '', ...lines, '', ENVIRONMENT].join('\n');
};

const verbHelp = (s: VerbSpec) =>
  [
    `usage: strata ${s.usage}`,
    ...(s.summary ? ['', s.summary] : []),
    ...(s.help?.length ? ['', ...s.help.map((l) => `  ${l}`)] : []),
    '',
    '  --json        print JSON instead of a table',
    '  -h, --help    show this help',
  ].join('\n');

/** argparse's checks: unknown flags, a string flag without its value, a boolean flag given one, too many arguments. */
const checkFlags = (s: VerbSpec, values: Record<string, unknown>, args: readonly string[]) => {
  for (const [name, value] of Object.entries(values)) {
    const declared = CLI_OPTIONS[name];
    if (name === 'json' || name === 'help') continue;
    if (s.flags && !s.flags.includes(name)) throw new UsageError(`unrecognized arguments: --${name}`);
    // A flag declared `multiple` comes as a list of its occurrences.
    for (const one of Array.isArray(value) ? value : [value]) {
      if (declared?.type === 'string' && (typeof one !== 'string' || one.startsWith('--')))
        throw new UsageError(`argument --${name}: expected one argument`);
      if (declared?.type === 'boolean' && typeof one === 'string')
        throw new UsageError(`argument --${name}: ignored explicit argument '${one}'`);
    }
  }
  if (s.maxArgs !== undefined && args.length > s.maxArgs)
    throw new UsageError(`unrecognized arguments: ${args.slice(s.maxArgs).join(' ')}`);
};

/**
 * `strata`: openstack's volume, snapshot and backup verbs over Strata's HTTP API. Returns the exit
 * status: 0, 1 when the server refuses or a job fails, 2 for a usage error, 130 when --wait is interrupted.
 */
export const runCli = async (argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> => {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: CLI_OPTIONS });
  const key = positionals.slice(0, 2).join(' ');
  const verb = VERBS[key];
  if (!verb) {
    const noun = positionals[0] && specs().some(([k]) => k.startsWith(`${positionals[0]} `)) ? positionals[0] : undefined;
    if (values.help) {
      console.log(overview(noun));
      return 0;
    }
    console.error(overview(noun));
    if (positionals.length > 0) console.error(`strata: error: unknown command '${positionals.slice(0, 2).join(' ')}'`);
    return 2;
  }
  const spec = describe(key, verb);
  if (values.help) {
    console.log(verbHelp(spec));
    return 0;
  }
  const args = positionals.slice(2);
  try {
    checkFlags(spec, values, args);
    await spec.run({
      http: await resolveSettings(env),
      json: Boolean(values.json),
      args,
      flags: values as Record<string, string | boolean | undefined>,
      env,
    });
    return 0;
  } catch (error) {
    if (error instanceof CliExit) return error.code;
    if (error instanceof UsageError) {
      console.error(`usage: strata ${spec.usage}\nstrata ${key}: error: ${error.message}`);
      return 2;
    }
    console.error(error instanceof Error ? error.message : String(error));
    return 1;
  }
};

if (require.main === module) void runCli(process.argv.slice(2)).then((code) => process.exit(code));

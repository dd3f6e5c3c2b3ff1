import { parseArgs } from 'node:util';
import { settingsFromEnv, StrataApiError } from './strata-http';
import { CLI_OPTIONS } from './cli-options';
import { VERBS } from './verbs/index';

const USAGE = `usage: strata [--json] <noun> <verb> [args] [--flags]
  volume list | show VOLUME | create [NAME] --size GB | delete VOLUME
  backup list [--name N] [--status S] [--volume V] [--all-projects]
  backup show BACKUP | create VOLUME [--name N] [--incremental] [--force] [--snapshot S]
  backup restore BACKUP [VOLUME] | delete BACKUP [--force] | reset-state BACKUP... [--state S]
  backup export BACKUP | import SERVICE URL | verify BACKUP [--no-wait]
  catalog recover [--repository PATH] [--project P]
  backup events BACKUP                         (same as: audit backup BACKUP)
  catalog export [--backup B]... [--all] [--output FILE] | import FILE | rebuild      (admin)
  audit events [--since T] [--until T] [--type E]... [--project P] [--volume V]     (admin)
  audit backup BACKUP | as-of TIME [--all-projects]
Talks to STRATA_URL (default http://127.0.0.1:8776/v3) with STRATA_TOKEN (default admin:admin).`;

/** `strata`: the verbs of openstack's volume commands over Strata's HTTP API. */
export const runCli = async (argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> => {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: false,
    options: CLI_OPTIONS,
  });
  const verb = VERBS[positionals.slice(0, 2).join(' ')];
  if (values.help || !verb) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  try {
    await verb({ http: settingsFromEnv(env), json: Boolean(values.json), args: positionals.slice(2), flags: values });
    return 0;
  } catch (error) {
    console.error(error instanceof StrataApiError || error instanceof Error ? error.message : String(error));
    return 1;
  }
};

if (require.main === module) runCli(process.argv.slice(2)).then((code) => process.exit(code));

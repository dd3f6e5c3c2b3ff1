import { describeSource, readConfig, SECRET_OPTIONS, type OptionName } from '@strata/config';
import { printTable } from '../output';
import { CliExit, type Verbs } from './verb-kit';

const shown = (name: OptionName, value: unknown): string => {
  if (SECRET_OPTIONS.has(name) && value) return '****';
  return Array.isArray(value) ? value.join(',') : String(value);
};

/**
 * `strata config check`: the configuration a Strata started here would run on (strata.conf or
 * STRATA_CONFIG, and STRATA_* variables), each value with where it came from, then the warnings (names
 * Strata does not read) and the errors (values that would stop the start-up). Exit 1 on an error. It
 * reads the files and environment of this machine; it asks no server.
 */
export const CONFIG_VERBS: Verbs = {
  'config check': {
    usage: 'config check',
    summary: 'Print the effective configuration with the source of each value, and its warnings and errors',
    help: [
      'Reads strata.conf in the working directory (or STRATA_CONFIG) and STRATA_<OPTION> variables, as the server does.',
      'Exit status 1 when the server would refuse to start.',
    ],
    flags: [],
    maxArgs: 0,
    run: async (ctx) => {
      const report = readConfig({ env: ctx.env ?? process.env, cwd: process.cwd() });
      const names = Object.keys(report.sources) as OptionName[];
      const rows = names.map((name) => ({
        option: name,
        value: shown(name, report.values[name]),
        source: describeSource(report.sources[name]),
      }));
      const errors = report.errors.map((e) => e.message);
      if (ctx.json)
        console.log(JSON.stringify({ config_file: report.configPath, options: rows, warnings: report.warnings, errors }, null, 2));
      else {
        console.log(`config file: ${report.configPath ?? 'none (strata.conf not found; defaults and environment only)'}`);
        printTable(rows, [
          ['option', 'Option'],
          ['value', 'Value'],
          ['source', 'Source'],
        ]);
        for (const warning of report.warnings) console.log(`warning: ${warning}`);
        for (const error of errors) console.log(`error: ${error}`);
      }
      if (errors.length > 0) throw new CliExit(1);
    },
  },
};

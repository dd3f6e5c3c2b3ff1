/** What every verb needs: its parsed arguments, the HTTP settings, and the openstack-like ways to print and resolve. */
import { call, StrataApiError, type HttpSettings } from '../strata-http';
import { printFields, printTable } from '../output';

export type Item = Record<string, unknown> & { id: string; name?: string | null };
export interface VerbContext {
  readonly http: HttpSettings;
  readonly json: boolean;
  readonly args: readonly string[];
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
  /** The environment the command runs in (progress settings); absent means process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

export type VerbRun = (ctx: VerbContext) => Promise<void>;

/** A verb with its usage line and help: `strata <noun> <verb> --help` prints them, usage errors exit 2. */
export interface VerbSpec {
  /** After `strata `, e.g. `backup show BACKUP`. */
  readonly usage: string;
  readonly summary: string;
  /** Lines under the usage in `--help`: arguments and flags. */
  readonly help?: readonly string[];
  /** The flags it takes besides --json and --help; any other flag is a usage error. */
  readonly flags?: readonly string[];
  /** Most positional arguments it takes (default: unlimited). */
  readonly maxArgs?: number;
  readonly run: VerbRun;
}

/** A module's verbs: a spec, or (for verbs without help of their own) just the function. */
export type Verbs = Record<string, VerbRun | VerbSpec>;

export const specOf = (key: string, verb: VerbRun | VerbSpec): VerbSpec =>
  typeof verb === 'function' ? { usage: key, summary: '', run: verb } : verb;

/** Wrong arguments: main prints the message and the verb's usage, and exits 2 (argparse's convention). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Ends the command with this exit code; the message (if any) was already printed. */
export class CliExit extends Error {
  override readonly name = 'CliExit';
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export const show = (ctx: VerbContext, item: Record<string, unknown>) =>
  ctx.json ? console.log(JSON.stringify(item, null, 2)) : printFields(item);
export const list = (ctx: VerbContext, rows: Item[], columns: [string, string][]) =>
  ctx.json ? console.log(JSON.stringify(rows, null, 2)) : printTable(rows, columns);

type Collection = 'volumes' | 'backups' | 'snapshots';
const NOUN: Record<Collection, string> = { volumes: 'volume', backups: 'backup', snapshots: 'snapshot' };

/**
 * Names or ids, as openstack resolves them: `GET /<collection>/<ref>` first, then an exact name match
 * over every project the caller may see; none or several is an error that names the reference.
 */
export const resolve = async (ctx: VerbContext, collection: Collection, ref: string): Promise<Item> => {
  const found = await find(ctx, collection, ref);
  if (found.length === 1) return found[0];
  throw new Error(
    found.length === 0
      ? `No ${NOUN[collection]} with a name or ID of '${ref}' exists.`
      : `More than one ${NOUN[collection]} exists with the name '${ref}'.`,
  );
};

/** Like `resolve`, but null when nothing has that name or id (openstack's restore into a new volume). */
export const resolveIfExists = async (ctx: VerbContext, collection: Collection, ref: string): Promise<Item | null> => {
  const found = await find(ctx, collection, ref);
  if (found.length > 1) throw new Error(`More than one ${NOUN[collection]} exists with the name '${ref}'.`);
  return found[0] ?? null;
};

const find = async (ctx: VerbContext, collection: Collection, ref: string): Promise<Item[]> => {
  try {
    return [Object.values(await call<Record<string, Item>>(ctx.http, 'GET', `/${collection}/${encodeURIComponent(ref)}`))[0]];
  } catch (error) {
    // Only "no such id" falls through to the name; a refused token or an unreachable server is the answer.
    if (!(error instanceof StrataApiError) || ![400, 404].includes(error.status)) throw error;
    const q = new URLSearchParams({ all_tenants: '1', name: ref });
    const listed = Object.values(await call<Record<string, Item[]>>(ctx.http, 'GET', `/${collection}/detail?${q}`))[0] ?? [];
    return listed.filter((i) => i.name === ref);
  }
};

/** The positional argument `i`, or a usage error naming it. */
export const need = (ctx: VerbContext, i: number, what: string) => {
  const v = ctx.args[i];
  if (!v) throw new UsageError(`the following arguments are required: ${what}`);
  return v;
};

export const stringFlag = (ctx: VerbContext, name: string): string | undefined => {
  const v = ctx.flags[name];
  return typeof v === 'string' ? v : undefined;
};

/** Strata's own API (`/strata/v1`) beside the Cinder endpoint: same host, same token. */
export const strataV1 = (http: HttpSettings): HttpSettings => ({
  ...http,
  endpoint: `${http.endpoint.replace(/\/v3(\/.*)?$/, '')}/strata/v1`,
});

/**
 * Runs `each` on every reference and reports failures the way openstack does for multi-item verbs:
 * one line per failure, then "N of M <things> failed to <verb>." and exit 1.
 */
export const forEachRef = async (
  refs: readonly string[],
  what: { noun: string; plural: string; verb: string },
  each: (ref: string) => Promise<void>,
) => {
  let failed = 0;
  for (const ref of refs) {
    try {
      await each(ref);
    } catch (error) {
      failed++;
      console.error(`Failed to ${what.verb} ${what.noun} with name or ID '${ref}': ${(error as Error).message}`);
    }
  }
  if (failed > 0) {
    console.error(`${failed} of ${refs.length} ${what.plural} failed to ${what.verb}.`);
    throw new CliExit(1);
  }
};

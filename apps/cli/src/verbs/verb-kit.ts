/** What every verb needs: its parsed arguments, the HTTP settings, and the openstack-like ways to print and resolve. */
import { call, type HttpSettings } from '../strata-http';
import { printFields, printTable } from '../output';

export type Item = Record<string, unknown> & { id: string; name?: string | null };
export interface VerbContext {
  readonly http: HttpSettings;
  readonly json: boolean;
  readonly args: readonly string[];
  readonly flags: Readonly<Record<string, string | boolean | undefined>>;
}

export const show = (ctx: VerbContext, item: Record<string, unknown>) => (ctx.json ? console.log(JSON.stringify(item, null, 2)) : printFields(item));
export const list = (ctx: VerbContext, rows: Item[], columns: [string, string][]) =>
  ctx.json ? console.log(JSON.stringify(rows, null, 2)) : printTable(rows, columns);

/** Names or ids, as openstack resolves them: an id first, then an exact name match. */
export const resolve = async (ctx: VerbContext, collection: 'volumes' | 'backups' | 'snapshots', ref: string): Promise<Item> => {
  try {
    return Object.values(await call<Record<string, Item>>(ctx.http, 'GET', `/${collection}/${encodeURIComponent(ref)}`))[0];
  } catch {
    const found = Object.values(await call<Record<string, Item[]>>(ctx.http, 'GET', `/${collection}/detail?all_tenants=1&name=${encodeURIComponent(ref)}`))[0];
    if (found.length === 1) return found[0];
    throw new Error(found.length === 0 ? `No ${collection.slice(0, -1)} with a name or ID of '${ref}' exists.` : `More than one ${collection.slice(0, -1)} exists with the name '${ref}'.`);
  }
};

export const need = (ctx: VerbContext, i: number, what: string) => {
  const v = ctx.args[i];
  if (!v) throw new Error(`missing ${what}`);
  return v;
};

export type Verbs = Record<string, (ctx: VerbContext) => Promise<void>>;

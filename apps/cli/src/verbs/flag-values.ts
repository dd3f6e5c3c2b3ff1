import type { VerbContext } from './verb-kit';

/** A repeatable flag's values (`--type A --type B`, or `--type A,B`), whichever way parseArgs returned them. */
export const flagValues = (ctx: VerbContext, name: string): string[] => {
  const value = (ctx.flags as Readonly<Record<string, unknown>>)[name];
  if (value === undefined || typeof value === 'boolean') return [];
  return (Array.isArray(value) ? value : [value])
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
};

export const flagValue = (ctx: VerbContext, name: string): string | undefined => flagValues(ctx, name).at(-1);

import type { ParseArgsConfig } from 'node:util';

/** Every flag any verb takes; a string flag must be listed here or its value would be read as a positional. */
export const CLI_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  size: { type: 'string' },
  name: { type: 'string' },
  status: { type: 'string' },
  volume: { type: 'string' },
  snapshot: { type: 'string' },
  state: { type: 'string' },
  incremental: { type: 'boolean' },
  force: { type: 'boolean' },
  'all-projects': { type: 'boolean' },
  repository: { type: 'string' },
  project: { type: 'string' },
  'no-wait': { type: 'boolean' },
  description: { type: 'string' },
  long: { type: 'boolean' },
  wait: { type: 'boolean' },
  backup: { type: 'string', multiple: true },
  all: { type: 'boolean' },
  output: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  type: { type: 'string', multiple: true },
  source: { type: 'string' },
};

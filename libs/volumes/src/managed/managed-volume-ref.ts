import { InvalidManagedVolume } from '../errors';

/**
 * Cinder's manage API identifies an existing volume by a back-end "ref" object; for Strata's
 * file and device volumes that is `{"source-name": "/dev/loop3"}`. A bare path string is also
 * accepted, for the strata CLI. Only the path is taken; inspectManagedVolume checks it.
 */
export const managedVolumePathFromRef = (ref: unknown): string => {
  if (typeof ref === 'string') return ref;
  if (typeof ref === 'object' && ref !== null && !Array.isArray(ref)) {
    const name: unknown = (ref as Record<string, unknown>)['source-name'];
    if (typeof name === 'string') return name;
  }
  throw new InvalidManagedVolume(
    JSON.stringify(ref) ?? String(ref),
    'reference must be {"source-name": "<absolute path>"} or an absolute path',
  );
};

import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StrataClient } from './strata-client';

/**
 * A small volume for fast scenarios: a file of `sizeMiB` random bytes registered through Cinder's
 * manage API (Strata reports it as 1 GiB, the size Cinder would round it to). `dir` must be one that
 * managed_volume_paths admits: a RunningStrata's `managedDir`.
 */
export const manageFile = async (client: StrataClient, dir: string, sizeMiB = 2, name = 'managed') => {
  const path = join(dir, `${name}-${Date.now()}-${Math.random().toString(36).slice(2)}.img`);
  writeFileSync(path, randomBytes(sizeMiB * 1024 * 1024));
  const res = await client.post('/v3/os-volume-manage', { volume: { host: 'strata@file', ref: { 'source-name': path }, name } });
  if (res.status !== 202) throw new Error(`manage: ${res.status} ${JSON.stringify(res.body)}`);
  const volume = (await client.waitFor(`/v3/volumes/${res.body.volume.id}`, (b: any) => b.volume.status !== 'creating')).volume;
  if (volume.status !== 'available') throw new Error(`managed volume ended ${volume.status}`);
  return { volume, path };
};

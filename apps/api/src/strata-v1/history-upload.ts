import { fileLines, MAX_HISTORY_LINE_BYTES, type OpenLines } from '@strata/catalog';
import type { Request } from 'express';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

/**
 * The uploaded catalog file, spooled to a temporary file as it arrives (never held in memory), so the
 * import can read it twice: once to check it whole, once to append. `dispose` removes it.
 */
export interface SpooledUpload {
  readonly openLines: OpenLines;
  dispose(): void;
}

export const spoolUpload = async (req: Request): Promise<SpooledUpload> => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-import-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  const path = join(dir, 'catalog.ndjson');
  try {
    await pipeline(req, createWriteStream(path));
  } catch (error) {
    dispose();
    throw error;
  }
  return {
    openLines: () => fileLines(path, MAX_HISTORY_LINE_BYTES),
    dispose,
  };
};

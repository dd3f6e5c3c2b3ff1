import type { FileHandle } from 'node:fs/promises';

/** Fills `buffer[0, length)` from `position`, failing if the file is shorter than promised. */
export const readExactly = async (handle: FileHandle, buffer: Buffer, length: number, position: number): Promise<void> => {
  for (let done = 0; done < length;) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) throw new Error(`unexpected end of volume at byte ${position + done}`);
    done += bytesRead;
  }
};

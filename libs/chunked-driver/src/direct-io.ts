/**
 * What O_DIRECT asks of a read or a write here: its memory, offset and length in whole pages, which covers
 * the 512- and 4096-byte logical blocks of every device.
 */
export const DIRECT_ALIGN_BYTES = 4096;
const WASM_PAGE_BYTES = 64 << 10;

// Node has WebAssembly; the project's `lib` (no DOM) does not declare it.
declare const WebAssembly: {
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => { readonly buffer: ArrayBufferLike };
};

const wasmPages = (bytes: number): number => Math.ceil(bytes / WASM_PAGE_BYTES);

/** The memories made here: a view of one that starts on a page is page-aligned. */
const alignedMemories = new WeakSet<ArrayBufferLike>();
const remembered = <T extends ArrayBufferLike>(memory: T): T => {
  alignedMemories.add(memory);
  return memory;
};

/** Whether `bytes` start on a page of memory (only memory made here is known to). */
export const inAlignedMemory = (bytes: Uint8Array): boolean =>
  alignedMemories.has(bytes.buffer) && bytes.byteOffset % DIRECT_ALIGN_BYTES === 0;

/**
 * At least `bytes` of page-aligned memory. A WebAssembly memory, because V8 maps it page-aligned, where a
 * Buffer's or SharedArrayBuffer's memory comes from malloc at no alignment a program can rely on (or
 * see). Each reserves address space well beyond its size until it is collected: allocate few, and keep
 * them.
 */
export const alignedMemory = (bytes: number): Buffer =>
  Buffer.from(remembered(new WebAssembly.Memory({ initial: wasmPages(bytes) }).buffer));

/** `alignedMemory` that worker threads share (a SharedArrayBuffer: it crosses to them by reference). */
export const alignedSharedMemory = (bytes: number): SharedArrayBuffer => {
  const pages = wasmPages(bytes);
  return remembered(new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }).buffer as SharedArrayBuffer);
};

/** Whether volumes, restores and the POSIX repository use O_DIRECT where they can (`STRATA_DIRECT_IO=0` turns it off). */
export const directIoWanted = (): boolean => process.env['STRATA_DIRECT_IO'] !== '0';

/** The error O_DIRECT gives for an alignment it does not take (a device that wants more than a page). */
export const isEinval = (e: unknown): boolean => (e as NodeJS.ErrnoException | null)?.code === 'EINVAL';

/** Whether a range starts and ends on whole pages. */
export const pageAligned = (offset: number, length: number): boolean =>
  offset % DIRECT_ALIGN_BYTES === 0 && length % DIRECT_ALIGN_BYTES === 0;

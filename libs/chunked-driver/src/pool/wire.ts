/**
 * Bytes as they cross to a thread: a view of a shared buffer goes by reference, anything else is cloned
 * by postMessage. The pool's threads and the POSIX writer threads both take them.
 */
export type Wire = { readonly sab: SharedArrayBuffer; readonly off: number; readonly len: number } | Uint8Array;

/**
 * postMessage clones a view's whole ArrayBuffer: a 1 MiB slice of a 64 MiB buffer went over as 64 MiB,
 * each time (compressing 64 MiB in 1 MiB pieces took 27 s). A view of part of its buffer is copied to a
 * buffer of its own first.
 */
export const toWire = (b: Uint8Array): Wire => {
  if (b.buffer instanceof SharedArrayBuffer) return { sab: b.buffer, off: b.byteOffset, len: b.byteLength };
  // `new Uint8Array(view)` copies the view's bytes; a Buffer's own `slice` would not (it is `subarray`).
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : new Uint8Array(b);
};

/** The bytes a thread received, as a Buffer over them (no copy). */
export const fromWire = (d: Wire): Buffer =>
  d instanceof Uint8Array ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.from(d.sab, d.off, d.len);

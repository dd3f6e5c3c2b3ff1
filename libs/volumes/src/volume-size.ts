/** Cinder sizes volumes in whole GiB (`size` is an integer count of 2^30 bytes). */
export const GIB_BYTES = 1024 ** 3;

/**
 * The Cinder size of something `bytes` long. Rounded up, as Cinder's manage_existing_get_size
 * does, so a managed volume is never reported smaller than it is and a restore never truncates it.
 */
export const sizeGbOf = (bytes: number): number => Math.ceil(bytes / GIB_BYTES);

export const bytesOfGb = (sizeGb: number): number => sizeGb * GIB_BYTES;

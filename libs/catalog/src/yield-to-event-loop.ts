/**
 * Lets timers, I/O and every request waiting in the event loop run before the caller goes on. A replay
 * (rebuild, catch-up) reads a log whose pages are always ready, and an `as_of` answer reads pages of rows
 * that are too, so awaiting them alone never leaves the microtask queue: without this between batches,
 * one replay or one long answer holds every request for its whole length.
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

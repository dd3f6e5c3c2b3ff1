import { setTimeout as sleep } from 'node:timers/promises';

/** Polls a read-model condition until it holds or the deadline passes; returns the last value seen. */
export const waitUntil = async <T>(
  read: () => T,
  done: (value: T) => boolean,
  { timeoutMs = 60_000, intervalMs = 50 } = {},
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let value = read();
  while (!done(value) && Date.now() < deadline) {
    await sleep(intervalMs);
    value = read();
  }
  return value;
};

/**
 * Runs `task` for every item, started in order and at most `width` at a time, and calls `settled` for
 * each item in order once it and every item before it have finished, so whatever `settled` records
 * (a restore's checkpoint: "the first n objects are on the target") holds for a prefix. After the first
 * failure (of a task or of `settled`) nothing more starts or settles; the tasks running are waited for
 * and the first error is thrown.
 */
export const inOrderWindow = async <T>(
  items: readonly T[],
  width: number,
  task: (item: T, index: number) => Promise<void>,
  settled: (item: T, index: number) => Promise<void> | void,
): Promise<void> => {
  const running: Promise<void>[] = [];
  let failure: { error: unknown } | null = null;
  const start = (index: number): Promise<void> =>
    task(items[index] as T, index).catch((error: unknown) => {
      failure ??= { error };
    });
  let next = 0;
  for (let oldest = 0; oldest < items.length; oldest++) {
    while (failure === null && next < items.length && next - oldest < width) running[next] = start(next++);
    if (failure === null) await running[oldest];
    if (failure !== null) break;
    delete running[oldest];
    try {
      await settled(items[oldest] as T, oldest);
    } catch (error) {
      failure = { error };
      break;
    }
  }
  if (failure === null) return;
  await Promise.all(running.filter(Boolean));
  throw (failure as { error: unknown }).error;
};

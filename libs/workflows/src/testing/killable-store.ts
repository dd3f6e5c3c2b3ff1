import type { EventStore } from '@strata/event-store';
import { Killed } from './killable-recorder';

/**
 * Where the process dies, named by the event a job appends:
 * - `after`: the append of that event is durable, then the process is gone (nothing after it runs:
 *   no file removed, no further append);
 * - `before`: everything up to that append ran (files removed, objects deleted), the append does not.
 */
export type KillPoint = { readonly after: string } | { readonly before: string };

/**
 * The store as a job sees it in a process SIGKILLed at `at`: appends go through until the kill point,
 * which throws Killed, and every append after it throws Killed too, so a job's `catch` that would
 * record a failure records nothing, as a dead process would. Reads still work (the job may read on its
 * way to the next append; a dead process would not, but reading changes nothing). For jobs that build
 * their own recorder from `deps.store`; a workflow that takes a StepRecorder uses `killableRecorder`.
 */
export const killableStore = (store: EventStore, at: KillPoint): EventStore => {
  let killed = false;
  const kill = (): never => {
    killed = true;
    throw new Killed(`killed ${'after' in at ? `after ${at.after}` : `before ${at.before}`}`);
  };
  const appendToStream: EventStore['appendToStream'] = async (streamId, events, options) => {
    if (killed) kill();
    if ('before' in at && events.some((e) => e.type === at.before)) kill();
    const result = await store.appendToStream(streamId, events, options);
    if ('after' in at && events.some((e) => e.type === at.after)) kill();
    return result;
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === 'appendToStream') return appendToStream;
      if (property === 'appendToStreams') return undefined; // one append at a time, so each can be killed
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
};

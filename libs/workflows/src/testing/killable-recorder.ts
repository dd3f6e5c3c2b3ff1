import type { EventMeta } from '@strata/domain';
import { decideAndAppend, type EventStore } from '@strata/event-store';
import type { StepRecorder } from '../step-recorder';

/** Thrown in place of the step after the kill: the process is gone, nothing more is recorded. */
export class Killed extends Error {}

/**
 * Records steps as a job does, and dies (throws Killed) once `stepsBeforeKill` steps have appended:
 * the log then holds exactly what a SIGKILL between two steps leaves. A step that appends nothing (a
 * repeated, keyed one) is not counted: it leaves nothing to kill after.
 */
export const killableRecorder = (store: EventStore, meta: EventMeta, stepsBeforeKill = Infinity): StepRecorder => {
  let appended = 0;
  return {
    async record(streamId, decider, command, idempotencyKey, options) {
      if (appended >= stepsBeforeKill) throw new Killed(`killed after ${appended} steps`);
      const before = await store.headPosition();
      const result = await decideAndAppend(store, streamId, decider, command, meta, { idempotencyKey, ...options });
      if ((await store.headPosition()) !== before) appended++;
      return result;
    },
  };
};

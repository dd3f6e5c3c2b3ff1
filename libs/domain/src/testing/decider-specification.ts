import type { Decider, DomainCommand, DomainEvent } from '../decider';
import { fold } from '../decider';

/**
 * given(events).when(command).then(events) | .thenThrows(ErrorClass, message): the shape of every
 * decider spec. The one domain file that touches the test runner.
 */
export const DeciderSpecification = {
  for<C extends DomainCommand, S, E extends DomainEvent>(decider: Decider<C, S, E>) {
    return (given: readonly E[]) => ({
      when(command: C) {
        const run = () => decider.decide(command, fold(decider, given));
        return {
          then(expected: readonly E[]) {
            expect(run()).toEqual(expected);
          },
          thenThrows(errorClass: abstract new (...args: never[]) => Error, message?: string) {
            let thrown: unknown;
            try {
              run();
            } catch (e) {
              thrown = e;
            }
            expect(thrown).toBeInstanceOf(errorClass);
            if (message !== undefined) expect((thrown as Error).message).toBe(message);
          },
          thenState(assert: (state: S) => void) {
            const events = run();
            assert(fold(decider, [...given, ...events]));
          },
        };
      },
    });
  },
};

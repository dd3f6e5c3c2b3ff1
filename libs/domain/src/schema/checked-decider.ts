import type { Decider, DomainCommand, DomainEvent } from '../decider';
import { InvalidInput } from '../errors';
import { eventViolation } from './event-schemas';

/** The refusal of an event that breaks its schema, in Cinder's words for bad input. */
export const invalidEvent = (type: string, violation: { path: string; message: string }) =>
  new InvalidInput(`Invalid input received: ${type} ${violation.path} ${violation.message}.`);

/**
 * A decider whose every decision is checked against the event schemas before anyone can append it: so
 * whatever the caller (the HTTP edge, a record import, a repository scan, the worker, a future one), a
 * command that would record a size, id, name or count out of bounds is refused, and nothing enters the
 * log that the read models cannot store.
 */
export const checkedDecider = <C extends DomainCommand, S, E extends DomainEvent>(decider: Decider<C, S, E>): Decider<C, S, E> => ({
  ...decider,
  decide(command, state) {
    const events = decider.decide(command, state);
    for (const event of events) {
      const violation = eventViolation(event.type, event.data);
      if (violation) throw invalidEvent(event.type, violation);
    }
    return events;
  },
});

/**
 * A decider is three plain functions: what a command decides given the state, how an event changes the
 * state, and the state before the first event. Nothing here reads a clock, an id generator or a store:
 * ids and `now` arrive on the command, so a replay folds to the same state every time.
 */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

export interface DomainCommand<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

export interface Decider<Command extends DomainCommand, State, Event extends DomainEvent> {
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export const fold = <State, Event extends DomainEvent>(
  decider: Pick<Decider<DomainCommand, State, Event>, 'evolve' | 'initialState'>,
  events: Iterable<Event>,
): State => {
  let state = decider.initialState();
  for (const e of events) state = decider.evolve(state, e);
  return state;
};

/** For exhaustive switches: a new union member that is not handled fails to compile. */
export const assertNever = (value: never): never => {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
};

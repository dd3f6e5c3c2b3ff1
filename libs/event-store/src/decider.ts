/**
 * What `decideAndAppend` needs from a domain: three pure functions. Defined here, generically, so the
 * event store never imports libs/domain; the domain's own Decider type is structurally the same.
 */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

export interface Decider<Command, State, Event extends DomainEvent = DomainEvent> {
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

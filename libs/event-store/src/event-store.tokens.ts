/** Inject the `EventStore` port with `@Inject(EVENT_STORE)`; the module decides which adapter stands behind it. */
export const EVENT_STORE = Symbol('EVENT_STORE');

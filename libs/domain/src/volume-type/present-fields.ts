/** The fields of `changes` that are present: an update records only what it was given. */
export const presentFields = <T extends object>(changes: T): Partial<T> =>
  Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<T>;

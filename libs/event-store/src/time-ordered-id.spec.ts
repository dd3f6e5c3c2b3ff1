import { timeOrderedUuid } from './time-ordered-id';

describe('timeOrderedUuid', () => {
  it('is a version 7, RFC 9562 variant UUID carrying the milliseconds', () => {
    const id = timeOrderedUuid(0x0123456789ab);
    expect(id).toMatch(/^01234567-89ab-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps ids strictly increasing, also within one millisecond and when the clock steps back', () => {
    const ids = [
      ...Array.from({ length: 5000 }, () => timeOrderedUuid(2_000_000_000_000)),
      timeOrderedUuid(1_999_999_999_999),
      timeOrderedUuid(2_000_000_000_100),
    ];
    for (let i = 1; i < ids.length; i++) expect(ids[i] > ids[i - 1]).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

import { HttpFault } from '../errors/cinder-fault';
import { atLeast, formatMicroversion, negotiateMicroversion } from './microversion';

const negotiated = (header?: string, legacy?: string) => formatMicroversion(negotiateMicroversion(header, legacy));

describe('microversions', () => {
  it('gives 3.0 without a header, the newest for latest, and the version asked for within 3.0-3.70', () => {
    expect(negotiated()).toBe('3.0');
    expect(negotiated('volume latest')).toBe('3.70');
    expect(negotiated('compute 2.1, volume 3.45')).toBe('3.45');
    expect(negotiated(undefined, '3.27')).toBe('3.27');
  });

  it.each([
    ['volume 3.71', 406],
    ['volume 2.9', 406],
    ['volume three', 400],
  ])('refuses %s with %i', (header, status) => {
    const refusal = (() => {
      try {
        negotiateMicroversion(header, undefined);
        return null;
      } catch (error) {
        return error;
      }
    })();

    expect(refusal).toBeInstanceOf(HttpFault);
    expect(refusal).toMatchObject({ status });
  });

  it('compares a version with the same threshold the same way every time', () => {
    const v = negotiateMicroversion('volume 3.45', undefined);
    for (let i = 0; i < 3; i++) {
      expect(atLeast(v, '3.45')).toBe(true);
      expect(atLeast(v, '3.46')).toBe(false);
      expect(atLeast(v, '2.99')).toBe(true);
      expect(atLeast(v, '4.0')).toBe(false);
    }
  });
});

import { InvalidManagedVolume } from '../errors';
import { managedVolumePathFromRef } from './managed-volume-ref';

describe('managedVolumePathFromRef', () => {
  it("takes the path from Cinder's source-name reference", () =>
    expect(managedVolumePathFromRef({ 'source-name': '/dev/loop3' })).toBe('/dev/loop3'));

  it('takes a bare path as it is', () => expect(managedVolumePathFromRef('/srv/images/db.img')).toBe('/srv/images/db.img'));

  it.each([[{ 'source-id': '42' }], [{ 'source-name': 3 }], [null], [['/dev/loop3']], [undefined]])(
    'refuses the reference %j, saying which shape is expected',
    (ref) => {
      expect(() => managedVolumePathFromRef(ref)).toThrow(InvalidManagedVolume);
      expect(() => managedVolumePathFromRef(ref)).toThrow('reference must be {"source-name"');
    },
  );
});

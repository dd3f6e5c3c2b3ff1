import { optionNameWarning, WHY_NOT } from './option-warnings';
import { optionDefinitions } from './strata-options';

describe('why Strata leaves a Cinder option alone', () => {
  // An option that gets implemented is declared and no longer reported: its reason here would be dead, and wrong.
  it('names no option Strata now implements', () => {
    expect(Object.keys(WHY_NOT).filter((name) => Object.prototype.hasOwnProperty.call(optionDefinitions, name))).toEqual([]);
  });

  it('is given with the warning for an option it names', () => {
    expect(optionNameWarning('backup_workers', 'strata.conf:3')).toContain(WHY_NOT.backup_workers);
    expect(optionNameWarning('backup_max_operations', 'strata.conf:3')).toBeNull();
  });
});

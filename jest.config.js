/**
 * Four projects, each with its display name: `unit` (specs beside their code), `contract` (one suite per
 * adapter), `e2e` (the booted app over HTTP, the real CLIs, Cinder's own code) and `soak` (SIGKILLed
 * workers, scale-out: minutes). `npm test` runs them all; `npm run test:quick` all but soak;
 * `npm run test:unit` the first.
 */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const shared = {
  testEnvironment: 'node',
  rootDir: __dirname,
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
};

module.exports = {
  testTimeout: 60000,
  // Most end-to-end suites wait on HTTP polling, child processes and fsyncs: three workers keep both cores busy.
  maxWorkers: 3,
  projects: [
    { ...shared, displayName: 'unit', roots: ['<rootDir>/libs', '<rootDir>/apps'], testRegex: '\\.spec\\.ts$' },
    { ...shared, displayName: 'contract', roots: ['<rootDir>/test/contract'], testRegex: '\\.spec\\.ts$' },
    {
      ...shared,
      displayName: 'e2e',
      roots: ['<rootDir>/test/e2e', '<rootDir>/test/compat'],
      testRegex: '\\.(e2e-spec|compat\\.spec)\\.ts$',
    },
    { ...shared, displayName: 'soak', roots: ['<rootDir>/test/e2e'], testRegex: '\\.soak-spec\\.ts$' },
  ],
};

/** @type {import('jest').Config} */
module.exports = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': 'ts-jest' },
  testEnvironment: 'node',
  maxWorkers: 2,
  testTimeout: 60000,
  // Ours first, so Jest's own summary stays the last lines.
  reporters: ['<rootDir>/test/support/skipped-suites-reporter.js', 'default'],
};

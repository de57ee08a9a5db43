/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/subgraphs', '<rootDir>/gateway'],
  testMatch: ['**/*.test.ts'],
  // Type checking is done once by `tsc --noEmit` in `npm test`; ts-jest only transpiles.
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    // jose 6 ships ES modules only. Node 20.19+ require()s them, Jest's module loader does not
    // (before Node 24.9), so its files are transpiled to CommonJS like ours.
    '/node_modules/jose/.+\\.js$': ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node10' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};

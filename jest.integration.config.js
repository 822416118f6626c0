// Integration (*.integration-spec.ts) and end-to-end (*.e2e-spec.ts) tests: real Postgres, Redis and
// NATS (testcontainers when a Docker engine answers, else the local services), each file isolated in
// its own database, Redis key prefix and NATS subject prefix.
module.exports = {
  ...require('./jest.preset'),
  displayName: 'integration',
  testMatch: ['<rootDir>/{apps,libs,tools}/**/*.integration-spec.ts', '<rootDir>/{apps,libs,tools}/**/*.e2e-spec.ts'],
  globalSetup: '<rootDir>/libs/testing/src/infra/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/infra/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
};

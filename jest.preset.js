// Shared jest settings: swc transform with decorator metadata and the @gisbi/* aliases.
const { swcOptions } = require('./tools/scripts/swc-options.cjs');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swcOptions(), swcrc: false }],
    // jose ships only as ES modules; jest's CommonJS runtime needs it transpiled.
    '^.+/node_modules/.+\\.js$': ['@swc/jest', { ...swcOptions({ sourceMaps: false }), swcrc: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/jose@[^/]+/node_modules/)?jose/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@gisbi/contracts$': '<rootDir>/libs/contracts/src/index.ts',
    '^@gisbi/platform$': '<rootDir>/libs/platform/src/index.ts',
    '^@gisbi/testing$': '<rootDir>/libs/testing/src/index.ts',
    '^@gisbi/dev-identity$': '<rootDir>/libs/dev-identity/src/index.ts',
  },
  rootDir: __dirname,
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

// One swc configuration for the build and for jest, so tests run the code exactly as it ships.
// Decorator metadata is required by NestJS dependency injection and class-validator.
const path = require('node:path');

const workspaceRoot = path.resolve(__dirname, '..', '..');

function swcOptions({ sourceMaps = true } = {}) {
  return {
    jsc: {
      parser: { syntax: 'typescript', decorators: true, dynamicImport: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
      baseUrl: workspaceRoot,
      paths: {
        '@gisbi/contracts': ['libs/contracts/src/index.ts'],
        '@gisbi/platform': ['libs/platform/src/index.ts'],
        '@gisbi/testing': ['libs/testing/src/index.ts'],
        '@gisbi/dev-identity': ['libs/dev-identity/src/index.ts'],
      },
    },
    module: { type: 'commonjs', strictMode: true },
    sourceMaps,
  };
}

module.exports = { swcOptions, workspaceRoot };

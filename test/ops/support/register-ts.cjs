// Lets a child process run the TypeScript sources (`node -r test/ops/support/register-ts.cjs src/main.ts`) with the
// transform the test suite uses (decorator metadata included), so process tests need no `npm run build`.
const fs = require('node:fs');
const { transformSync } = require('@swc/core');
const [, swcOptions] = require('../../../jest.config.js').transform['^.+\\.ts$'];

// import() stays a real dynamic import: the PostgreSQL binary packages are ES modules.
const options = { ...swcOptions, module: { ...swcOptions.module, ignoreDynamic: true }, sourceMaps: 'inline' };

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...options, filename });
  module._compile(code, filename);
};

// tsc emits only compiled .ts: the status page's templates and style are copied next to the compiled code, where
// src/status/html/templates-dir.ts looks for them (dist/src/status/templates), replacing any earlier copy.
const { cpSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const target = join(root, 'dist/src/status/templates');
rmSync(target, { recursive: true, force: true });
cpSync(join(root, 'src/status/templates'), target, { recursive: true });

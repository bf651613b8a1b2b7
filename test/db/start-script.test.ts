import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SERVER_NODE_FLAGS } from '../../scripts/bench/server-process';

describe('npm start', () => {
  it('runs the server with the node flags the benchmarks start it with', () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> };
    // exec: npm's shell gives way to node, so the signals npm forwards reach the server (test/ops/stop-server.test.ts).
    expect(pkg.scripts.start).toBe(`exec node ${SERVER_NODE_FLAGS.join(' ')} dist/src/main.js`);
  });
});

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * src/status/templates, from this module in src/ (jest) or in dist/src/ (npm start; `npm run build` copies the
 * templates next to the compiled code, tsc itself copies only .ts output).
 */
export function templatesDir(): string {
  const dir = resolve(__dirname, '../templates');
  if (!existsSync(resolve(dir, 'status-page.eta'))) throw new Error(`status page templates are missing in ${dir} (npm run build copies them)`);
  return dir;
}

import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { importEdges, importsOf, layerOf, LAYERS, SRC, sourceFiles, upwardEdges } from './import-graph';

describe('Layering', () => {
  it('has every import in src/ point down the layer table', () => {
    expect(upwardEdges(importEdges())).toEqual([]);
  });

  it('places every folder of src/ in the layer table', () => {
    const known = new Set(LAYERS.flat());
    const unknown = [...new Set(sourceFiles().map((file) => layerOf(relative(SRC, file))))].filter((layer) => !known.has(layer));
    expect(unknown).toEqual([]);
  });

  it('flags an import from a lower layer into a higher one, and only that', () => {
    const edges = [
      { from: 'schema/integration.entity.ts', to: 'ingest/integration-options' },
      { from: 'services/incident.service.ts', to: 'schema/enums' },
      { from: 'ingest/webhook-routes.ts', to: 'ingest/webhook-auth' },
      { from: 'app.ts', to: 'http/server' },
    ];
    expect(upwardEdges(edges)).toEqual(['schema/integration.entity.ts (schema) imports ingest/integration-options (ingest)']);
  });

  it('reads import, import type, export-from and dynamic import specifiers, and skips packages and files outside src/', () => {
    const text = [
      "import { z } from 'zod';",
      "import { a } from './alert-sql';",
      "import type { B } from '../services/b.service';",
      "export { c } from '../http/c';",
      "export * from '../../migrations';",
      "const d = await import('../jobs/d.job');",
    ].join('\n');
    expect(importsOf(join(SRC, 'ingest/x.ts'), text).map((edge) => edge.to)).toEqual(['ingest/alert-sql', 'services/b.service', 'http/c', 'jobs/d.job']);
  });

  it('lets only the composition root (app.ts) call createServices or createIngest', () => {
    const callers = sourceFiles()
      .filter((file) => /\bcreate(?:Services|Ingest)\s*\(/.test(readFileSync(file, 'utf8').replace(/function create(?:Services|Ingest)\s*\(/g, '')))
      .map((file) => relative(SRC, file));
    expect(callers).toEqual(['app.ts']);
  });
});

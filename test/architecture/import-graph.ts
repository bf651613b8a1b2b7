import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

export const SRC = resolve(__dirname, '../../src');

/**
 * Layers from the bottom up: a module may import its own layer and the layers below it, never one above.
 * Keys are folders under src/, or top-level files without their extension.
 */
export const LAYERS: ReadonlyArray<readonly string[]> = [
  ['shared'],
  ['schema'],
  ['notify'],
  ['config', 'logger'],
  ['db'],
  ['services'],
  ['ingest'],
  ['routes'],
  ['status', 'analytics'],
  ['jobs'],
  ['resolvers'],
  ['graphql'],
  ['http'],
  ['app', 'main', 'production-mode'],
];

const RANK = new Map(LAYERS.flatMap((names, rank) => names.map((name) => [name, rank] as const)));

export interface ImportEdge {
  /** Importing module, relative to src/ (`ingest/webhook-routes.ts`). */
  from: string;
  /** Imported module, relative to src/ without extension (`http/metrics`). */
  to: string;
}

/** The layer of a module path relative to src/: its first folder, or the file's own name at the top. */
export function layerOf(path: string): string {
  const [first, ...rest] = path.split('/');
  return rest.length ? first : first.replace(/\.ts$/, '');
}

export function rankOf(path: string): number {
  const rank = RANK.get(layerOf(path));
  if (rank === undefined) throw new Error(`${path}: layer "${layerOf(path)}" is not in the layer table (test/architecture/import-graph.ts)`);
  return rank;
}

/** Edges that point up the layer table, as readable lines. */
export function upwardEdges(edges: readonly ImportEdge[]): string[] {
  return edges
    .filter((edge) => rankOf(edge.to) > rankOf(edge.from))
    .map((edge) => `${edge.from} (${layerOf(edge.from)}) imports ${edge.to} (${layerOf(edge.to)})`);
}

export function sourceFiles(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** The relative imports, export-froms and dynamic imports of one module into src/, read with the TypeScript scanner. */
export function importsOf(file: string, text: string): ImportEdge[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles
    .filter(({ fileName }) => fileName.startsWith('.'))
    .map(({ fileName }) => ({ from: relative(SRC, file), to: relative(SRC, resolve(dirname(file), fileName)) }))
    .filter((edge) => !edge.to.startsWith('..'));
}

export function importEdges(files = sourceFiles()): ImportEdge[] {
  return files.flatMap((file) => importsOf(file, readFileSync(file, 'utf8')));
}

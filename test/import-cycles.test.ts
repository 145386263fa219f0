// No import cycles in src/, type imports included: lower layers never import
// higher ones. Imports are read with TypeScript's own pre-processor
// (`import`, `import type`, `export … from`, `import x = require()`), so the
// check does not depend on src/'s folder layout.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { root } from './helpers';

const SRC = join(root, 'src');
const EXTENSIONS = ['.ts', '.mts', '.cts', '.d.ts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return /\.(c|m)?ts$/.test(name) ? [file] : [];
  });
}

/** The src/ file a relative specifier names ('./x', './x.js', './x.mjs', './dir'), or null. */
function resolveSpecifier(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(from), specifier).replace(/\.(c|m)?js$/, '');
  const candidates = [...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => join(base, `index${e}`))];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

/** Every file's relative imports inside src/, type-only ones included. */
export function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles.map((i) => resolveSpecifier(file, i.fileName)).filter((t): t is string => t !== null);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
export function cycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('imports in src/', () => {
  it('reads type imports, re-exports and require() imports (a cycle made of them is found)', () => {
    // A known graph built the way importGraph builds it, over real files of
    // this suite, so that a parser that missed `import type` would fail here.
    const text = "import type { A } from './a';\nexport { B } from './b.js';\nimport c = require('./c');\nimport('./d');";
    const names = ts.preProcessFile(text, true, true).importedFiles.map((i) => i.fileName);
    expect(names).toEqual(['./a', './b.js', './c', './d']);
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
    expect(cycles(new Map([['a', ['a']]]))).toEqual([['a']]);
    expect(cycles(new Map([['a', ['b']], ['b', []]]))).toEqual([]);
  });

  it('form no cycle, type imports included', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(40);
    const graph = importGraph(files);
    // Every relative import resolved to a file: a missed one would hide a cycle.
    for (const file of files) {
      const relativeImports = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.filter((i) => i.fileName.startsWith('.'));
      expect(graph.get(file)!.length, relative(root, file)).toBe(new Set(relativeImports.map((i) => resolveSpecifier(file, i.fileName))).size);
    }
    const found = cycles(graph).map((c) => c.map((f) => relative(SRC, f)));
    expect(found, `import cycles in src/: ${JSON.stringify(found)}`).toEqual([]);
  });
});

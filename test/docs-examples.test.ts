// Every code block of README.md and docs/*.md is run, so that none can go
// stale: JavaScript and TypeScript with Node (or, when the block says so, as
// a vitest or node:test file), shell blocks of `npx mallinfo …` lines with the
// built CLI. A block that must not run says why (`<!-- not-run: reason -->`);
// output blocks are tagged ```text. Docs added later are picked up as they are.
// The directives a block may carry are described in test/docs-blocks.ts.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { CODE_LANGUAGES, docFiles, OUTPUT_LANGUAGES, parseBlocks, type DocBlock } from './docs-blocks';
import { root } from './helpers';

const work = join(root, '.docs-examples'); // inside the checkout: `mallinfo` resolves to it by self-reference
afterAll(() => rmSync(work, { recursive: true, force: true }));
const cli = join(root, 'lib', 'cli', 'main.js');
const vitestBin = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const blocks = docFiles(root).flatMap((doc) => parseBlocks(root, doc));
const isTs = (lang: string): boolean => ['ts', 'typescript', 'mts'].includes(lang);
const isShell = (lang: string): boolean => ['sh', 'bash', 'shell', 'console'].includes(lang);

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
  killedByUs: boolean;
}

function exec(command: string, args: string[], cwd: string, block: DocBlock): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, PORT: '0', NO_COLOR: '1', ...block.directives.env } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    let killedByUs = false;
    const stopAfter = block.directives.killAfterMs ?? block.directives.timeoutMs;
    const timer = setTimeout(() => {
      killedByUs = block.directives.killAfterMs !== null;
      if (!killedByUs) output += `\n[docs-examples: timed out after ${stopAfter} ms]`;
      child.kill('SIGTERM');
    }, stopAfter);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output, killedByUs });
    });
  });
}

/** The block as a file of the right kind: ESM when it (or its prelude) imports, CommonJS when it only requires. */
function sourceFile(block: DocBlock): { name: string; text: string } {
  const text = [...block.directives.prelude, block.code].join('\n');
  const esm = /^\s*(import|export)\s/m.test(text) || !/\brequire\(/.test(text);
  if (block.directives.runner === 'vitest') return { name: isTs(block.lang) ? 'example.test.ts' : 'example.test.mjs', text };
  const name = block.directives.runner === 'node-test' ? 'example.test' : 'example';
  if (!isTs(block.lang)) return { name: `${name}.${esm ? 'mjs' : 'cjs'}`, text };
  const module = esm ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS;
  const js = ts.transpileModule(text, { compilerOptions: { module, target: ts.ScriptTarget.ES2022 } }).outputText;
  return { name: `${name}.${esm ? 'mjs' : 'cjs'}`, text: js };
}

/** Each `npx mallinfo …` line of a shell block, run with the built CLI in turn. */
function shellScript(block: DocBlock): string {
  const commands = block.code
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const foreign = commands.filter((c) => !c.startsWith('npx mallinfo'));
  if (foreign.length > 0) throw new Error(`only \`npx mallinfo …\` lines run; mark the block <!-- not-run: reason --> for: ${foreign.join('; ')}`);
  return ['set -e', ...commands.map((c) => `node ${JSON.stringify(cli)}${c.slice('npx mallinfo'.length)}`)].join('\n');
}

async function runBlock(block: DocBlock): Promise<Outcome> {
  const dir = join(work, `${block.doc.replace(/\W+/g, '-')}-${block.line}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(block.directives.files)) writeFileSync(join(dir, name), text);
  for (const name of block.directives.links) symlinkSync(join(root, name), join(dir, name));
  if (isShell(block.lang)) {
    writeFileSync(join(dir, 'example.sh'), shellScript(block));
    return exec('sh', ['example.sh'], dir, block);
  }
  const file = sourceFile(block);
  writeFileSync(join(dir, file.name), file.text);
  if (block.directives.runner === 'vitest') {
    writeFileSync(join(dir, 'vitest.config.mjs'), "export default { test: { include: ['*.test.*'], testTimeout: 60000 } };\n");
    return exec(process.execPath, [vitestBin, 'run', '--root', dir, '--config', join(dir, 'vitest.config.mjs')], dir, block);
  }
  if (block.directives.runner === 'node-test') return exec(process.execPath, ['--test', file.name], dir, block);
  return exec(process.execPath, [file.name], dir, block);
}

const code = blocks.filter((b) => CODE_LANGUAGES.includes(b.lang));
const runnable = code.filter((b) => b.notRun === null);

// Docs that other branches add (merged later): a link to one of them may
// point nowhere until then; once it exists, its anchors are checked too.
const WRITTEN_ELSEWHERE = ['docs/diagnosis.md', 'docs/testing.md', 'docs/attribution.md', 'docs/attach.md'];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));
}

describe('the docs’ links', () => {
  it('point at files that exist, and at headings that exist', () => {
    const broken: string[] = [];
    for (const doc of docFiles(root)) {
      const text = readFileSync(join(root, doc), 'utf8').replace(/^```[\s\S]*?^```/gm, '');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1];
        if (/^[a-z]+:/.test(target)) continue;
        const [path, anchor] = target.split('#');
        const file = path === '' ? join(root, doc) : join(root, dirname(doc), path);
        const name = relative(root, file);
        if (!existsSync(file)) {
          if (!WRITTEN_ELSEWHERE.includes(name)) broken.push(`${doc}: ${target} (no such file)`);
          continue;
        }
        if (anchor !== undefined && name.endsWith('.md') && !anchorsOf(file).has(anchor)) broken.push(`${doc}: ${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });
});

describe('the docs’ code blocks', () => {
  it('are tagged, and every directive is understood', () => {
    const problems = blocks.flatMap((b) => b.problems.map((p) => `${b.doc}:${b.line}: ${p}`));
    const unknown = blocks.filter((b) => b.lang !== '' && !CODE_LANGUAGES.includes(b.lang) && !OUTPUT_LANGUAGES.includes(b.lang) && b.notRun === null);
    expect(problems).toEqual([]);
    expect(unknown.map((b) => `${b.doc}:${b.line}: \`\`\`${b.lang} is neither code this test runs nor output: mark it not-run`)).toEqual([]);
    const notRun = code.filter((b) => b.notRun !== null);
    console.log(
      `docs-examples: ${blocks.length} blocks in ${new Set(blocks.map((b) => b.doc)).size} files: ${runnable.length} run, ` +
        `${notRun.length} marked not-run, ${blocks.length - code.length} output/data\n` +
        notRun.map((b) => `  not-run ${b.doc}:${b.line}: ${b.notRun}`).join('\n'),
    );
    expect(runnable.length).toBeGreaterThan(0);
  });

  it.each(runnable.map((b) => [`${b.doc}:${b.line} (${b.lang}${b.directives.runner === 'node' ? '' : `, ${b.directives.runner}`})`, b] as const))(
    '%s runs',
    async (_name, block) => {
      const outcome = await runBlock(block);
      const report = `${block.doc}:${block.line} said:\n${outcome.output}`;
      if (outcome.killedByUs) expect(outcome.signal, report).toBe('SIGTERM');
      else expect(outcome.code, report).toBe(block.directives.exitCode);
      for (const pattern of block.directives.expect) expect(outcome.output, report).toMatch(pattern);
    },
    120_000,
  );
});

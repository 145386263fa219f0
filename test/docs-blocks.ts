// The fenced code blocks of README.md and docs/*.md, with what the HTML
// comment right above each one says about running it:
//
//   <!-- not-run: why -->                    never run (counted, with the reason)
//   <!-- docs-example runner: vitest -->     a one-line directive
//   <!-- docs-example                        or several, one per line:
//   runner: node | vitest | node-test        how to run it (default: vitest for a block that imports
//                                            from 'vitest', node-test for 'node:test', else node)
//   prelude: const log = console;            code put before the block (repeatable)
//   file server.js: <one line of code>       a file written next to it (repeatable)
//   env: NAME=value                          an environment variable (repeatable)
//   link: examples                           a symlink to the checkout's examples/ next to it (repeatable)
//   kill-after-ms: 2500                      a server: stopped after this long; it must not fail before
//   exit-code: 1                             the exit code it must end with (default 0)
//   timeout-ms: 60000                        how long it may take (default 60 s)
//   expect: <regular expression>             its output (stdout + stderr) must match (multiline)
//   -->
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Block languages that are code: they run (or are marked not-run). */
export const CODE_LANGUAGES = ['js', 'javascript', 'mjs', 'cjs', 'ts', 'typescript', 'mts', 'sh', 'bash', 'shell', 'console'];
/** Block languages that show output or data, not code. */
export const OUTPUT_LANGUAGES = ['text', 'json', 'ndjson', 'xml', 'yaml', 'promql', 'diff'];

export interface Directives {
  runner: 'node' | 'vitest' | 'node-test';
  prelude: string[];
  files: Record<string, string>;
  env: Record<string, string>;
  links: string[];
  killAfterMs: number | null;
  exitCode: number;
  timeoutMs: number;
  expect: RegExp[];
}

export interface DocBlock {
  /** The markdown file, relative to the checkout. */
  doc: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  code: string;
  /** The reason, when marked `<!-- not-run: reason -->`. */
  notRun: string | null;
  directives: Directives;
  /** What is wrong with the block's markup, if anything (an unknown directive, a code block without a language). */
  problems: string[];
}

/** README.md and every docs/*.md, whoever added them. */
export function docFiles(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

/** A test file runs under its runner unless a directive says otherwise. */
function defaultRunner(code: string): Directives['runner'] {
  if (/from ['"]vitest['"]/.test(code)) return 'vitest';
  if (/from ['"]node:test['"]/.test(code)) return 'node-test';
  return 'node';
}

function parseDirectives(comment: string, problems: string[], runner: Directives['runner']): Directives {
  const d: Directives = { runner, prelude: [], files: {}, env: {}, links: [], killAfterMs: null, exitCode: 0, timeoutMs: 60_000, expect: [] };
  const lines = comment.replace(/^docs-example/, '').split('\n').map((l) => l.trim()).filter(Boolean);
  for (const line of lines) {
    const file = /^file ([\w./-]+):\s?(.*)$/.exec(line);
    if (file) {
      d.files[file[1]] = file[2];
      continue;
    }
    const match = /^([\w-]+):\s?(.*)$/.exec(line);
    const [key, value] = match ? [match[1], match[2]] : ['', line];
    if (key === 'runner' && (value === 'node' || value === 'vitest' || value === 'node-test')) d.runner = value;
    else if (key === 'prelude') d.prelude.push(value);
    else if (key === 'env' && value.includes('=')) d.env[value.slice(0, value.indexOf('='))] = value.slice(value.indexOf('=') + 1);
    else if (key === 'link' && /^[\w.-]+$/.test(value)) d.links.push(value);
    else if (key === 'kill-after-ms' && Number(value) > 0) d.killAfterMs = Number(value);
    else if (key === 'exit-code' && Number.isInteger(Number(value))) d.exitCode = Number(value);
    else if (key === 'timeout-ms' && Number(value) > 0) d.timeoutMs = Number(value);
    else if (key === 'expect') d.expect.push(new RegExp(value, 'm'));
    else problems.push(`unknown directive ${JSON.stringify(line)}`);
  }
  return d;
}

/** The HTML comment that ends on the last non-blank line before `index`, or null. */
function commentAbove(lines: string[], index: number): string | null {
  let end = index - 1;
  while (end >= 0 && lines[end].trim() === '') end--;
  if (end < 0 || !lines[end].trim().endsWith('-->')) return null;
  let start = end;
  while (start >= 0 && !lines[start].includes('<!--')) start--;
  if (start < 0) return null;
  const text = lines.slice(start, end + 1).join('\n');
  return text.slice(text.indexOf('<!--') + 4, text.lastIndexOf('-->')).trim();
}

/** Every fenced block of one markdown file. */
export function parseBlocks(root: string, doc: string): DocBlock[] {
  const lines = readFileSync(join(root, doc), 'utf8').split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]);
    if (!open) continue;
    const fence = open[2];
    let end = i + 1;
    while (end < lines.length && !lines[end].trim().startsWith(fence)) end++;
    const problems: string[] = [];
    const lang = open[3].toLowerCase();
    if (lang === '') problems.push('a code block needs a language (```js, ```sh, ```text for output, …)');
    const comment = commentAbove(lines, i);
    const notRun = comment?.startsWith('not-run:') ? comment.slice('not-run:'.length).trim() : null;
    if (notRun === '') problems.push('not-run needs a reason');
    const code = lines.slice(i + 1, end).map((l) => l.slice(open[1].length)).join('\n');
    const directives = parseDirectives(comment?.startsWith('docs-example') ? comment : '', problems, defaultRunner(code));
    blocks.push({ doc, line: i + 1, lang, code, notRun, directives, problems });
    i = end;
  }
  return blocks;
}

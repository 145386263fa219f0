import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from './helpers';

// The statm parser is C++ (native/procfs.cc): compile it with a small driver
// and feed it thousands of generated inputs in one run.
let driver = '';
const scratch = mkdtempSync(join(tmpdir(), 'mallinfo-statm-'));
beforeAll(() => {
  driver = join(scratch, 'parse-fields');
  execFileSync('g++', ['-std=c++17', '-O1', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-o', driver,
    join(root, 'test', 'native', 'parse-fields-driver.cc'), join(root, 'native', 'procfs.cc')]);
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function parseAll(lines: string[]): string[] {
  return execFileSync(driver, { input: lines.join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 << 20 }).trimEnd().split('\n');
}

/** What the parser must return: the leading run of space-separated integers, at most 7. */
function expected(line: string): string {
  const values: string[] = [];
  for (const token of line.split(' ')) {
    if (values.length === 7) break;
    if (token === '') continue;
    const m = /^(\d+)(.*)$/.exec(token);
    if (m === null) break;
    values.push(String(BigInt(m[1])));
    if (m[2] !== '') break; // a number glued to anything else ends the parse
  }
  return [values.length, ...values].join(' ');
}

const field = fc.bigInt({ min: 0n, max: 2n ** 52n }); // exact in a double

describe('statm parser (native ParseUnsignedFields)', () => {
  it('parses every well-formed statm line exactly (10,000 generated lines)', () => {
    const lines = fc.sample(fc.array(field, { minLength: 7, maxLength: 7 }).map((v) => v.join(' ')), 10_000);
    const out = parseAll(lines);
    expect(out).toHaveLength(lines.length);
    lines.forEach((line, i) => expect(out[i]).toBe(`7 ${line}`));
  });

  it('never reads past the input and stops at the first thing that is not a number (10,000 generated lines)', () => {
    const token = fc.oneof(field.map(String), fc.constantFrom('', ' ', '-1', 'x', '1x', '٣', '\t', '18446744073709551616'));
    const lines = fc.sample(fc.array(token, { maxLength: 10 }).map((t) => t.join(' ')), 10_000);
    const out = parseAll(lines);
    lines.forEach((line, i) => {
      if (line.includes('18446744073709551616')) {
        // Beyond 2^64 only the count is checked: a double cannot hold it exactly.
        expect(out[i].split(' ')[0]).toBe(expected(line).split(' ')[0]);
      } else {
        expect(out[i], JSON.stringify(line)).toBe(expected(line));
      }
    });
  });
});

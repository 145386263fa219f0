import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, runNode } from './helpers';

const vitestBin = join(root, 'node_modules', 'vitest', 'vitest.mjs');

interface VitestJson {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  testResults: { message: string; assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

/**
 * Runs the fixture project test/fixtures/leak-vitest in a nested vitest with
 * the given pool; returns its counts and, when some failed, what they said.
 */
async function nestedVitest(pool: 'forks' | 'threads'): Promise<{ counts: Partial<VitestJson>; failures: string[] }> {
  let stdout: string;
  try {
    ({ stdout } = await runNode(
      [vitestBin, 'run', '--root', join(root, 'test', 'fixtures', 'leak-vitest'), '--pool', pool, '--reporter', 'json'],
      { env: { EXPECTED_POOL: pool, NO_COLOR: '1' }, timeoutMs: 120_000 },
    ));
  } catch (error) {
    // A failing inner test exits 1; its JSON report still says why.
    stdout = (error as { stdout?: string }).stdout ?? '';
    if (!stdout.includes('{')) throw error;
  }
  const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as VitestJson;
  const failures = report.testResults.flatMap((file) => [
    ...(file.message ? [file.message] : []),
    ...file.assertionResults
      .filter((test) => test.status !== 'passed')
      .map((test) => `${test.title}: ${test.failureMessages.join('\n')}`),
  ]);
  const { numTotalTests, numPassedTests, numFailedTests } = report;
  return { counts: { numTotalTests, numPassedTests, numFailedTests }, failures };
}

/** Runs `node --test file` and returns its exit code and TAP output, failing or not. */
async function nodeTest(file: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await runNode(['--test', '--test-reporter', 'tap', join(root, 'test', 'fixtures', file)]);
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '' };
  }
}

describe('mallinfo/vitest in a project that imports it from a setup file', () => {
  it.each(['forks', 'threads'] as const)('passes its matcher tests under --pool %s', async (pool) => {
    const { counts, failures } = await nestedVitest(pool);
    expect(failures).toEqual([]);
    expect(counts).toEqual({ numTotalTests: 4, numPassedTests: 4, numFailedTests: 0 });
  });
});

describe('mallinfo/testing under node --test', () => {
  it('passes a clean check and catches a LeakError with assert.rejects', async () => {
    const { code, stdout } = await nodeTest('leak-node-test.mjs');
    expect(stdout).toMatch(/^# pass 2$/m);
    expect(stdout).toMatch(/^# fail 0$/m);
    expect(code).toBe(0);
  });

  it('fails a test whose function leaks, printing the LeakError report', async () => {
    const { code, stdout } = await nodeTest('leak-node-test-failing.mjs');
    expect(code).toBe(1);
    expect(stdout).toMatch(/^not ok 1 - a function that keeps 1 KB per call fails with the report$/m);
    expect(stdout).toMatch(/Memory grew in the native heap \(malloc\) by 1,[0-3]\d\d bytes per iteration/);
    expect(stdout).toContain("code: 'ERR_MALLINFO_LEAK'");
    expect(stdout).toContain('Hint: ');
    expect(stdout).toMatch(/^# fail 1$/m);
  });
});

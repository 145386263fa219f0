// Runs every scenario in child processes (a few at a time), each reporting
// its verdict as JSON, and prints one table: verdict, confidence, and how
// long sampling took to reach the verdict. `--repeat N` runs the suite N
// times and says whether every run agreed.
// Run: node examples/scenarios/index.mjs [--repeat 5] [--parallel 3] [--collect-every MS] [name…]
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);
const NOT_SCENARIOS = new Set(['harness.mjs', 'report.mjs', 'index.mjs']);

/** The scenario files, by name. */
export function scenarioNames() {
  return readdirSync(here)
    .filter((f) => f.endsWith('.mjs') && !NOT_SCENARIOS.has(f))
    .map((f) => f.slice(0, -4))
    .sort();
}

/** Runs one scenario in a child process and returns its JSON result; `extra` arguments go to the scenario. */
export async function runScenarioFile(name, extra = []) {
  const { stdout } = await run(process.execPath, [join(here, `${name}.mjs`), '--json', ...extra], {
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/** Runs `names` with at most `parallel` at once; results in the order of `names`. */
export async function runScenarios(names, parallel, extra = []) {
  const results = new Array(names.length);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const i = next++;
      results[i] = await runScenarioFile(names[i], extra);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, names.length) }, worker));
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { repeat: { type: 'string', default: '1' }, parallel: { type: 'string', default: '3' }, 'collect-every': { type: 'string' } },
  });
  const names = positionals.length > 0 ? positionals : scenarioNames();
  const repeat = Number(values.repeat);
  const runs = [];
  for (let r = 0; r < repeat; r++) {
    const started = performance.now();
    const extra = values['collect-every'] ? ['--collect-every', values['collect-every']] : [];
    runs.push(await runScenarios(names, Number(values.parallel), extra));
    console.error(`run ${r + 1}/${repeat}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const rows = names.map((name, i) => {
    const results = runs.map((results) => results[i]);
    const verdicts = new Set(results.map((r) => r.verdict));
    const confidences = results.map((r) => r.confidence);
    const times = results.map((r) => r.verdictAfterMs / 1000);
    const span = (xs, digits) => {
      const lo = Math.min(...xs).toFixed(digits);
      const hi = Math.max(...xs).toFixed(digits);
      return lo === hi ? lo : `${lo}–${hi}`;
    };
    return {
      scenario: name,
      expected: results[0].expected,
      verdict: [...verdicts].join(' / '),
      ok: results.every((r) => r.verdict === r.expected || r.alsoRight?.includes(r.verdict)) ? 'yes' : results.every((r) => r.verdict === r.expected || (r.undecided && r.verdict === 'insufficient-data')) ? 'undecided' : 'NO',
      confidence: span(confidences, 2),
      'verdict after (s)': span(times, 1),
      samples: span(results.map((r) => r.evidence.window.samples), 0),
    };
  });
  console.table(rows);
  const agreed = rows.every((r) => r.ok !== 'NO');
  const undecided = rows.filter((r) => r.ok === 'undecided').length;
  console.log(
    `${repeat} run(s): ${agreed ? 'no run gave a wrong verdict' : 'some runs gave a wrong verdict'}; ` +
      `${rows.filter((r) => r.ok === 'yes').length} of ${rows.length} scenarios got their expected verdict every time, ${undecided} stayed undecided in some run, as allowed.`,
  );
  process.exitCode = agreed ? 0 : 1;
}

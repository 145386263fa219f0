// Runs one scenario: a real workload in this process, sampled by the real
// Sampler at a short interval. Verdict changes are timed as they happen;
// at the end the diagnosis over the whole history is printed in plain
// words, or as one JSON line with --json (what the tests read);
// --samples FILE also writes the samples, one JSON object a line, and the
// collections the Sampler saw to FILE.collections.json (what diagnose()
// needs besides the samples to judge the run again: diagnose(samples,
// { collections }));
// --collect-every MS has the Sampler run its own full collections
// (collectEveryMs) right after samples, at most that often.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Sampler, sample } from 'mallinfo';
import { getGc } from '../../lib/testing/gc.js';
import { describeDiagnosis } from './report.mjs';

/**
 * Some scenarios need allocator settings in the environment, which glibc
 * reads at start-up: run this same file again with them set.
 */
function rerunWith(env) {
  const missing = Object.entries(env).filter(([k, v]) => process.env[k] !== v);
  if (missing.length === 0) return false;
  const child = spawnSync(process.execPath, process.argv.slice(1), { stdio: 'inherit', env: { ...process.env, ...env } });
  process.exitCode = child.status ?? 1;
  return true;
}

/**
 * Runs `workload({ sampler, mark })` under a Sampler sampling every
 * `intervalMs`, then prints the diagnosis. `mark(label)` records a moment
 * (e.g. a trim) with its time since the sampler started.
 */
export async function runScenario({ name, expected, alsoRight = [], undecided = null, passiveUnreliable = null, about, intervalMs = 50, env, diagnose, workload }) {
  if (env && rerunWith(env)) return;
  const collectAt = process.argv.indexOf('--collect-every');
  const collect = collectAt > 0 ? { collectEveryMs: Number(process.argv[collectAt + 1]) } : {};
  const sampler = new Sampler({ intervalMs, history: 5000, ...collect, ...(diagnose ? { diagnose } : {}) });
  const started = performance.now();
  const since = () => Math.round(performance.now() - started);
  const changes = [];
  const marks = [];
  sampler.on('verdict', (d, previous) => changes.push({ atMs: since(), from: previous, to: d.verdict, confidence: d.confidence }));
  sampler.start();
  await workload({ sampler, mark: (label) => marks.push({ label, atMs: since() }) });
  sampler.stop();
  const d = sampler.diagnose();
  const samplesFile = process.argv.indexOf('--samples');
  if (samplesFile > 0) {
    writeFileSync(process.argv[samplesFile + 1], sampler.history().map((s) => JSON.stringify(s)).join('\n') + '\n');
    writeFileSync(`${process.argv[samplesFile + 1]}.collections.json`, JSON.stringify(sampler.collectionHistory()));
  }
  const last = changes[changes.length - 1];
  const result = {
    name,
    expected,
    // Verdicts as right as `expected` over this window (e.g. a leak that stops when the bursts do).
    alsoRight,
    // Why "no verdict yet" is an honest answer over this scenario's window (null: it is not).
    undecided,
    // Why a passive Sampler is known to give a wrong verdict here in some runs (null: it is not);
    // the test then holds the scenario to its verdict with collectEveryMs.
    passiveUnreliable,
    verdict: d.verdict,
    confidence: d.confidence,
    // When the final verdict was reached and then held to the end (ms since start).
    verdictAfterMs: last && last.to === d.verdict ? last.atMs : 0,
    runMs: since(),
    changes,
    marks,
    summary: d.summary,
    evidence: d.evidence,
    advice: d.advice,
  };
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(result));
    return;
  }
  console.log(`Scenario ${name}: ${about}\nExpected verdict: ${expected}\n`);
  console.log(describeDiagnosis(d).join('\n'));
  const history = changes.map((c) => `${c.to} at ${(c.atMs / 1000).toFixed(1)} s`).join(', ');
  console.log(`\nVerdict changes while sampling: ${history || 'none'}; final verdict after ${(result.verdictAfterMs / 1000).toFixed(1)} s.`);
}

/** A pause that lets the sampler tick. */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export { getGc };

/**
 * Runs `burst(round)` for rounds 1 to `count`, each followed by a full
 * garbage collection, a pause in which the sampler sees the floor, and
 * `after(round)`. The collection stands in for the ones a server triggers
 * anyway (V8 collects again once allocation slows), so that each scenario
 * needs seconds rather than minutes.
 */
export async function inRounds(count, burst, { pauseMs = 150, after = async () => {} } = {}) {
  const gc = getGc();
  for (let round = 1; round <= count; round++) {
    await burst(round);
    gc();
    await sleep(pauseMs);
    await settle();
    await after(round);
  }
}

/**
 * Runs `rounds()`, then stays quiet (no allocation but the event loop's
 * own) for `share` × as long as the rounds took, at least `minMs`: after
 * its bursts, a service idles, and freed memory that stays resident then
 * is fragmentation, not headroom the next burst takes back.
 */
export async function thenQuiet(rounds, { share = 1, minMs = 2000 } = {}) {
  const started = performance.now();
  await rounds();
  await sleep(Math.max(minMs, share * (performance.now() - started)));
}

/**
 * Waits (at most `maxMs`) until the allocator's in-use stops falling. V8
 * frees ArrayBuffer backing stores on a background thread after a
 * collection; when each Buffer is its own mapping (MALLOC_MMAP_THRESHOLD_)
 * the 10,000 munmaps can outlast the pause on a loaded machine, and a
 * sampler would see a trough that is not the floor.
 */
export async function settle({ stepMs = 50, maxMs = 3000 } = {}) {
  const inUse = () => sample().heap?.inUse ?? 0;
  let previous = inUse();
  for (let waited = 0; waited < maxMs; waited += stepMs) {
    await sleep(stepMs);
    const now = inUse();
    if (now > previous - 1024 * 1024) return;
    previous = now;
  }
}

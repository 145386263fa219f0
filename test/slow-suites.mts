// The slow real-process suites: `npm run test:slow` runs them, `npm test`
// leaves them out so that the inner loop stays under 3 minutes. Each one
// starts real programs (scenario workloads, nested test runners, a browser,
// npm pack and install, cross-compiled prebuilds) and takes tens of seconds
// to minutes on its own.
export const SLOW_SUITES = [
  'test/testing-runners.test.ts', // vitest and node:test run nested on leak fixtures
  'test/testing-package.test.ts', // the testing entry point compiled and loaded as a consumer would
  'test/cli-html.test.ts', // the HTML report opened in Chromium
  'test/docs-examples.test.ts', // every code block of README.md and docs/*.md, run
  'test/allocators.test.ts', // child processes under LD_PRELOADed jemalloc, tcmalloc and mimalloc
  'test/cli-preload.test.ts', // the CLI from a copy of the package, over real programs
  'test/package.test.ts', // tsc type-checks consumer projects; the addon's symbol versions
  'test/cli-attach.test.ts', // mallinfo attach to real servers, over their inspectors (~45 s)
  'test/attribution.test.ts', // heap snapshots of real programs, diffed (~18 s)
  'test/attribution-native.test.ts', // jemalloc's heap profiler over real programs and an addon built here (~12 s)
  'test/attribution-pprof.test.ts', // pprof files read by go tool pprof and pprof-format (~13 s)
];

/** The suites that install the packed tarball (made once for them by test/packed-package.setup.ts). */
export const PACKED_SUITES = [
  'test/prebuild.test.ts', // the prebuilds' symbol versions, the tarball's files, a musl build from source
  'test/pack-install.test.ts', // the tarball installed with no compiler / --ignore-scripts; arm64 under qemu
];

/** Runs last in the slow suite: real memory-heavy workloads that would skew the others' timings. */
export const SCENARIO_SUITES = ['test/scenarios.test.ts'];

// Global setup of the slow suite: the package packed once, as for a release
// (a plain `npm pack` in a copy of the sources: prepare compiles the
// TypeScript, prepack builds prebuilds/ for linux-x64 and linux-arm64), for
// test/prebuild.test.ts and test/pack-install.test.ts to share.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { packFromSource } from '../scripts/package-tools.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The packed tarball's path. */
    packedTarball: string;
    /** The directory it was packed from (with its prebuilds/). */
    packedFrom: string;
  }
}

export default function setup(project: TestProject): () => void {
  const scratch = mkdtempSync(join(tmpdir(), 'mallinfo-packed-'));
  const from = join(scratch, 'package');
  const started = Date.now();
  const tarball = packFromSource(from, scratch);
  console.log(`packed-package: npm pack (prepare + prepack: both prebuilds) took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  project.provide('packedTarball', tarball);
  project.provide('packedFrom', from);
  return () => rmSync(scratch, { recursive: true, force: true });
}

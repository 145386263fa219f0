// Finds Debian's jemalloc, tcmalloc and mimalloc libraries for LD_PRELOAD. A missing
// library fails the test that needs it, with what to install: CI installs
// both, so a skip would only hide a broken set-up.
import { libraryPath } from '../lib/cli/jemalloc-path.js';

/** The allocators the suite runs under, with the Debian package of each. */
export const PRELOADS = {
  jemalloc: { soname: 'libjemalloc.so.2', debianPackage: 'libjemalloc2' },
  tcmalloc: { soname: 'libtcmalloc_minimal.so.4', debianPackage: 'libtcmalloc-minimal4' },
  // One mallinfo does not support: it must be reported as unknown.
  mimalloc: { soname: 'libmimalloc.so.2', debianPackage: 'libmimalloc2.0' },
} as const;

export type PreloadedAllocator = keyof typeof PRELOADS;

/** The path of the library for `allocator`, from the dynamic linker's cache. */
export function preloadPath(allocator: PreloadedAllocator): string {
  const { soname, debianPackage } = PRELOADS[allocator];
  const path = libraryPath(soname);
  if (path !== null) return path;
  throw new Error(
    `${soname} is not installed, so the ${allocator} tests cannot run: ` +
      `install Debian's ${debianPackage} (apt-get install ${debianPackage}), or run bash .ci/run, which installs it`,
  );
}

/**
 * Where jemalloc is, for `--attribute-native`'s LD_PRELOAD: the dynamic
 * linker's cache (`ldconfig -p`), for this process's architecture.
 * @packageDocumentation
 */
import { spawnSync } from 'node:child_process';

const SONAME = 'libjemalloc.so.2';
// ldconfig's word for each architecture in its listing.
const LDCONFIG_ARCH: Record<string, string> = { x64: 'x86-64', arm64: 'AArch64' };

/** The path of a shared library from the dynamic linker's cache (`ldconfig -p`) for this architecture, or null. */
export function libraryPath(soname: string): string | null {
  const listing = spawnSync('ldconfig', ['-p'], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` },
  });
  const arch = LDCONFIG_ARCH[process.arch] ?? process.arch;
  for (const line of (listing.stdout ?? '').split('\n')) {
    const match = /^\s*(\S+) \(([^)]*)\) => (\S+)$/.exec(line);
    if (match && match[1] === soname && match[2].includes(arch)) return match[3];
  }
  return null;
}

/** The path of libjemalloc.so.2, or null when the system has none. */
export function jemallocLibraryPath(): string | null {
  return libraryPath(SONAME);
}

/** MALLOC_CONF for jemalloc's heap profiler, after the user's own options (later ones win in jemalloc). */
export function profilingMallocConf(existing: string | undefined, lgSample = 17): string {
  const ours = `prof:true,prof_active:true,lg_prof_sample:${lgSample}`;
  return existing === undefined || existing.trim() === '' ? ours : `${existing},${ours}`;
}

// What a shared object needs from the C and C++ runtime, read with objdump.
import { execFileSync, spawnSync } from 'node:child_process';

/** objdump for the architecture of `file` (Debian's cross binutils for arm64). */
function objdumpFor(arch: 'x64' | 'arm64'): string {
  if (arch === 'arm64' && process.arch !== 'arm64') return 'aarch64-linux-gnu-objdump';
  if (arch === 'x64' && process.arch !== 'x64') return 'x86_64-linux-gnu-objdump';
  return 'objdump';
}

/** The highest version of each symbol-version family (GLIBC, GLIBCXX, CXXABI) `file` needs. */
export function neededVersions(file: string, arch: 'x64' | 'arm64' = process.arch as 'x64'): Record<string, string> {
  const out = execFileSync(objdumpFor(arch), ['-T', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const highest: Record<string, string> = {};
  for (const [, family, version] of out.matchAll(/\b(GLIBC|GLIBCXX|CXXABI)_([0-9.]+)\b/g)) {
    const current = highest[family];
    if (current === undefined || compareVersions(version, current) > 0) highest[family] = version;
  }
  return highest;
}

/** The shared libraries `file` names as NEEDED. */
export function neededLibraries(file: string): string[] {
  const out = spawnSync('objdump', ['-p', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return [...(out.stdout ?? '').matchAll(/^\s*NEEDED\s+(\S+)$/gm)].map((m) => m[1]);
}

/** Compares dotted version numbers: negative, 0 or positive. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

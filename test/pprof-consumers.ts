// Reading a pprof file the way its consumers do: `go tool pprof -top`
// (Debian's golang-go) and the pprof-format decoder, each giving the entry
// with the largest flat value.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';

/** The top row of `go tool pprof -top`: its flat value as printed and its name. */
export function goPprofTop(file: string, sampleIndex: string): { flat: string; name: string } {
  const out = execFileSync('go', ['tool', 'pprof', '-top', `-sample_index=${sampleIndex}`, file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = out.split('\n');
  const header = lines.findIndex((l) => /^\s+flat\s+flat%/.test(l));
  const row = /^\s*(\S+)\s+\S+%\s+\S+%\s+\S+\s+\S+%\s+(.+)$/.exec(lines[header + 1]);
  if (header === -1 || row === null) throw new Error(`unexpected go tool pprof output:\n${out}`);
  return { flat: row[1], name: row[2].trim() };
}

/** Flat values by innermost frame's function name, decoded with pprof-format; the largest first. */
export function decodedFlat(file: string, sampleType: string): { name: string; flat: number }[] {
  const profile = Profile.decode(gunzipSync(readFileSync(file)));
  const strings = profile.stringTable.strings;
  const index = profile.sampleType.findIndex((t) => strings[Number(t.type)] === sampleType);
  if (index === -1) throw new Error(`no sample type ${sampleType}`);
  const functionName = new Map(profile.function.map((f) => [Number(f.id), strings[Number(f.name)]]));
  const leafName = new Map(profile.location.map((l) => [Number(l.id), functionName.get(Number(l.line[0]?.functionId)) ?? '?']));
  const flat = new Map<string, number>();
  for (const sample of profile.sample) {
    const leaf = leafName.get(Number(sample.locationId[0])) ?? '?';
    flat.set(leaf, (flat.get(leaf) ?? 0) + Number(sample.value[index]));
  }
  return [...flat].map(([name, value]) => ({ name, flat: value })).sort((a, b) => b.flat - a.flat);
}

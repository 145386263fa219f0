// A diagnosis in plain words: the verdict, the numbers behind it, the advice.
// Used by the scenarios and by `npm run demo`.

const MiB = 1024 * 1024;
const mb = (bytes) => `${(bytes / MiB).toFixed(1)} MB`;
const perHour = (bytesPerSecond) => `${((bytesPerSecond * 3600) / MiB).toFixed(1)} MB/hour`;

function seriesLine(label, s) {
  if (!s) return `  ${label.padEnd(18)} not measured`;
  const f = s.floor;
  return (
    `  ${label.padEnd(18)} floor ${mb(f.start)} → ${mb(f.end)} (${perHour(f.slope)}, Kendall τ ${f.tau.toFixed(2)}, ` +
    `p ${f.pValue.toPrecision(2)}, ${f.points} ${f.method}); range ${mb(s.min)}–${mb(s.max)}, now ${mb(s.latest)}; ` +
    `fit through every sample ${perHour(s.trend.slope)}`
  );
}

/** The diagnosis as lines of text. */
export function describeDiagnosis(d) {
  const e = d.evidence;
  const w = e.window;
  const lines = [
    `Verdict: ${d.verdict} (confidence ${d.confidence.toFixed(2)})`,
    d.summary,
    '',
    `Evidence: ${w.samples} samples over ${(w.durationMs / 1000).toFixed(1)} s, one every ${Math.round(w.intervalMs)} ms` +
      `${e.heapStats ? '' : ' (no allocator statistics)'}`,
  ];
  if (e.v8Used) {
    lines.push(
      seriesLine('in use (malloc)', e.inUse),
      seriesLine('RSS', e.resident),
      seriesLine('V8 heap used', e.v8Used),
    );
  }
  const u = e.unexplained;
  if (u) {
    lines.push(
      `  ${'not explained'.padEnd(18)} ${mb(u.atFloor)} of RSS at the in-use floor is neither in use nor V8's heap ` +
        `(${(100 * u.shareOfResident).toFixed(0)} % of anonymous RSS; up to ${mb(u.peak)}); glibc keeps ${mb(u.free)} free; ` +
        `a trim would give back about ${mb(u.trimEstimate)} now`,
    );
  }
  if (e.findings.length > 0) {
    const full = e.fullGcs === null ? '' : `, ${e.fullGcs} full collections recorded`;
    lines.push(`  ${'seen'.padEnd(18)} ${e.gcs} falls of V8's heap (collections)${full}${e.trims === null ? '' : `, ${e.trims} trims`}`);
    lines.push(`  ${'scores'.padEnd(18)} ${e.findings.map((f) => `${f.kind} ${f.score.toFixed(2)}`).join(', ')} (found at 0.50 or more)`);
  }
  for (const f of e.secondary) lines.push(`  also ${f.kind}: ${f.summary}`);
  for (const note of e.notes) lines.push(`  note: ${note}`);
  lines.push('', 'Advice:', ...d.advice.map((a) => `  - ${a}`));
  return lines;
}

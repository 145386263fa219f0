// A diagnosis in plain words: the verdict, the numbers behind it, the advice.
// Used by the scenarios and by `npm run demo`.

const MiB = 1024 * 1024;
const mb = (bytes) => `${(bytes / MiB).toFixed(1)} MB`;

function seriesLine(label, s) {
  if (!s) return `  ${label.padEnd(18)} not measured`;
  const h = s.held;
  const pace = h.latePace ? `${mb(h.latePace.slope * 60)}/min late` : 'no pace';
  return (
    `  ${label.padEnd(18)} lows by thirds ${h.lows.map(mb).join(' → ')} (${pace}; ${h.confirmed} readings after collections); ` +
    `range ${mb(s.min)}–${mb(s.max)}, now ${mb(s.latest)}`
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
      `  ${'kept unused'.padEnd(18)} ${mb(u.idle)} of native RSS stayed resident and unused over the last third ` +
        `(${(100 * u.idleShare).toFixed(0)} % of anonymous RSS; unused for ${(u.idleForMs / 1000).toFixed(1)} s; in-use peaked at ${mb(u.peakInUse)}); ` +
        `glibc keeps ${mb(u.free)} free; a trim would give back about ${mb(u.trimEstimate)} now`,
    );
  }
  if (e.findings.length > 0) {
    const full = e.fullGcs === null ? '' : `, ${e.fullGcs} full collections recorded${e.collections === null ? '' : ` (${e.collections} of any kind)`}`;
    lines.push(`  ${'seen'.padEnd(18)} ${e.gcs} falls of V8's heap (collections)${full}${e.trims === null ? '' : `, ${e.trims} trims`}`);
    lines.push(`  ${'scores'.padEnd(18)} ${e.findings.map((f) => `${f.kind} ${f.score.toFixed(2)}`).join(', ')} (found at 0.50 or more)`);
  }
  for (const f of e.secondary) lines.push(`  also ${f.kind}: ${f.summary}`);
  for (const note of e.notes) lines.push(`  note: ${note}`);
  lines.push('', 'Advice:', ...d.advice.map((a) => `  - ${a}`));
  return lines;
}

// The rules that check a run's label against what the run measured
// independently of diagnose(): probes after full collections before and
// after sampling, a trim at the end, and RSS after running on for a few
// seconds. A run whose numbers disagree with how it was built is rejected,
// never relabelled. The rules are stated in README.md.
const MiB = 1024 * 1024;

/** Returns { ok, checks, reason } for a run built as `label`. */
export function verify(label, r) {
  const inUseGrowth = r.after.inUse - r.before.inUse;
  const v8Growth = r.after.v8Used - r.before.v8Used;
  const released = r.trim.released;
  const rss = r.trim.rssBefore;
  const reboundBytes = r.rebound ? r.rebound.rssAfterContinue - r.trim.rssAfter : null;
  const checks = { inUseGrowth, v8Growth, released, rssBeforeTrim: rss, inUseAfter: r.after.inUse, reboundBytes };
  const fail = (reason) => ({ ok: false, checks, reason });
  const b = r.built;
  if (label === 'native-leak') {
    if (inUseGrowth < MiB) return fail(`in-use grew ${mb(inUseGrowth)} < 1 MiB`);
    if (inUseGrowth < 0.5 * b.nativeBytes) return fail(`in-use grew ${mb(inUseGrowth)} < half of the ${mb(b.nativeBytes)} kept`);
  } else if (label === 'v8-leak') {
    if (v8Growth < MiB) return fail(`V8 used grew ${mb(v8Growth)} < 1 MiB`);
    if (v8Growth < 0.5 * b.v8Bytes) return fail(`V8 used grew ${mb(v8Growth)} < half of the ${mb(b.v8Bytes)} kept`);
    if (inUseGrowth > 0.5 * v8Growth) return fail(`in-use grew ${mb(inUseGrowth)}, more than half the V8 growth`);
  } else if (label === 'fragmentation') {
    if (r.after.inUse > 0.25 * rss) return fail(`in-use after gc ${mb(r.after.inUse)} > 25 % of RSS ${mb(rss)}`);
    if (released < 32 * MiB) return fail(`trim released ${mb(released)} < 32 MiB`);
    if (reboundBytes !== null && reboundBytes > 0.25 * released) return fail(`RSS came back ${mb(reboundBytes)} of ${mb(released)} within ${r.rebound.continueMs} ms: headroom, not fragmentation`);
  } else if (label === 'stable') {
    const nativeAllowance = MiB + (b.workingSetBytes ?? 0) * 1.1;
    const v8Allowance = MiB + (b.workingSetV8Bytes ?? 0) * 1.1 + (b.warmupV8Bytes ?? 0);
    if (inUseGrowth > nativeAllowance) return fail(`in-use grew ${mb(inUseGrowth)} > ${mb(nativeAllowance)} (1 MiB + declared working set)`);
    if (v8Growth > v8Allowance) return fail(`V8 used grew ${mb(v8Growth)} > ${mb(v8Allowance)} (1 MiB + declared working set and warm-up)`);
    const small = released < 32 * MiB || released < 0.25 * rss;
    const takenBack = reboundBytes !== null && reboundBytes >= 0.5 * released;
    if (!small && !takenBack) return fail(`trim released ${mb(released)} of ${mb(rss)} RSS and RSS came back only ${mb(reboundBytes ?? 0)} within ${r.rebound?.continueMs} ms`);
  } else {
    return fail(`unknown label ${label}`);
  }
  return { ok: true, checks, reason: null };
}

const mb = (bytes) => `${(bytes / MiB).toFixed(1)} MiB`;

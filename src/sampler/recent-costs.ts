/**
 * The cost the Sampler backs off by: the lowest of the last three samples'.
 * @packageDocumentation
 */

const KEPT = 3;

/**
 * Keeps the last three sample costs and gives the lowest. A heap that is
 * expensive to walk makes every sample slow, so its cost shows in all
 * three. One sample that waited shows in one only and must not stretch the
 * interval: mallinfo2 waits for the arena lock while malloc_trim holds it
 * (an auto-trim of 500 MB took 110–130 ms, and the sample taken meanwhile
 * cost as much, for a read that costs 0.2 ms: a 50 ms interval became
 * 13 s). Starts at 0: the sampler slows down after three slow samples in a
 * row, and speeds up after one cheap one.
 */
export class RecentCosts {
  private readonly costsNs = new Float64Array(KEPT);
  private next = 0;

  /** Records one sample's cost; returns the lowest of the last three, in ns. */
  push(costNs: number): number {
    this.costsNs[this.next] = costNs;
    this.next = (this.next + 1) % KEPT;
    return Math.min(this.costsNs[0], this.costsNs[1], this.costsNs[2]);
  }

  /** Forgets every cost (a restarted sampler starts afresh). */
  reset(): void {
    this.costsNs.fill(0);
    this.next = 0;
  }
}

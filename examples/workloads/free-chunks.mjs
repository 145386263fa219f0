// A heap riddled with free chunks: the worst case for mallinfo2 and
// malloc_trim, which walk the allocator's free lists while holding the arena
// lock. Many small ArrayBuffers are allocated, then every other one dropped:
// each freed backing store sits between two live ones, so glibc cannot merge
// it with a neighbour and keeps it as a free chunk of its own.

/**
 * Allocates `2 × freeChunks` ArrayBuffers of `size` bytes (their backing
 * stores come from malloc) and drops every other one. Returns the kept
 * half: hold on to it, or the freed chunks merge again. The dropped half
 * is freed by V8 after the next full garbage collections (see
 * `collectAndSettle`); then glibc's `ordblks` is about `freeChunks` more.
 */
export function leaveFreeChunks(freeChunks, { size = 200 } = {}) {
  let all = new Array(freeChunks * 2);
  for (let i = 0; i < all.length; i++) all[i] = new ArrayBuffer(size);
  const kept = all.filter((_, i) => i % 2 === 0);
  all = null;
  return kept;
}

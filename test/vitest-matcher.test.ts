import 'mallinfo/vitest';
import { describe, expect, it } from 'vitest';

const kept: Buffer[] = [];

describe('expect(fn).toLeakMemory()', () => {
  it('passes .not for a function that keeps nothing', async () => {
    await expect(() => Buffer.alloc(1024).length).not.toLeakMemory({ iterations: 200 });
  });

  it('fails .not for a leaking function with the LeakError report', async () => {
    // 2,000 calls, so that what else moves malloc meanwhile (~150 KB on a
    // loaded machine) stays under 100 bytes a call in the rate checked.
    await expect(expect(() => kept.push(Buffer.alloc(1024))).not.toLeakMemory({ iterations: 2000, retries: 0 })).rejects.toThrow(
      /^Memory grew in the native heap \(malloc\) by 1,[0-3]\d\d bytes per iteration[\s\S]*Hint: /,
    );
  });

  it('fails the positive form for a function that keeps nothing, saying what it measured', async () => {
    await expect(expect(() => Buffer.alloc(1024).length).toLeakMemory({ iterations: 200 })).rejects.toThrow(
      /^expected the function to leak memory, but in the last attempt \((200|400|800) iterations\) the native heap grew by -?[\d.,]+ and the V8 heap by -?[\d.,]+ bytes per iteration: within tolerance, or slowing down as the calls add up$/,
    );
  });

  it('rejects what is not a function, and invalid options, with the errors of expectNoLeak', async () => {
    await expect(expect(5).not.toLeakMemory()).rejects.toThrow('expect(fn).toLeakMemory(): fn must be a function, got 5');
    await expect(expect(() => 1).not.toLeakMemory({ iterations: 0 })).rejects.toThrow(RangeError);
    await expect(expect(() => 1).not.toLeakMemory({ bogus: 1 } as never)).rejects.toThrow('options.bogus');
  });
});

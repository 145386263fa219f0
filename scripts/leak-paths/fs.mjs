// fs streams: per call, 16 KB written with fs.createWriteStream and read
// back with fs.createReadStream (file descriptors, libuv requests on the
// threadpool, read buffers).
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';

const data = Buffer.alloc(16 * 1024, 'mallinfo ');

export async function open() {
  const dir = await mkdtemp(join(tmpdir(), 'mallinfo-leak-'));
  const file = join(dir, 'data');
  return {
    call: async () => {
      const out = createWriteStream(file);
      out.end(data);
      await finished(out);
      let bytes = 0;
      for await (const chunk of createReadStream(file)) bytes += chunk.length;
      return bytes;
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

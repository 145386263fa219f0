// zlib streams: 16 KB through a gzip stream and back through a gunzip
// stream (stream.pipeline), per call. Each stream holds a native z_stream
// (about 256 KB with its window) until it is closed.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

const input = Buffer.alloc(16 * 1024, 'mallinfo ');

export async function open() {
  return {
    call: async () => {
      let bytes = 0;
      await pipeline(Readable.from([input]), createGzip(), createGunzip(), async (source) => {
        for await (const chunk of source) bytes += chunk.length;
      });
      return bytes;
    },
    close: async () => {},
  };
}

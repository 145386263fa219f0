// crypto: per call, a SHA-256 hash and an AES-256-GCM encryption of 4 KB
// (OpenSSL contexts), and 32 random bytes from the threadpool.
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const random = promisify(randomBytes);
const key = Buffer.alloc(32, 7);
const data = Buffer.alloc(4096, 'mallinfo ');

export async function open() {
  return {
    call: async () => {
      const iv = await random(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const sealed = Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
      return createHash('sha256').update(sealed).digest('hex');
    },
    close: async () => {},
  };
}

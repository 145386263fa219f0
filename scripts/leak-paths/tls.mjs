// HTTPS on 127.0.0.1 with a self-signed certificate made here (selfsigned,
// an EC P-256 key: no openssl binary). Each call is a GET on a new TLS
// connection (`agent: false`): a handshake, OpenSSL contexts and buffers
// that are freed only when the socket closes.
import https from 'node:https';
import selfsigned from 'selfsigned';
import { listen, close } from './server.mjs';

/** A certificate for 127.0.0.1, valid for a day. */
export async function certificate() {
  const pems = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 86_400_000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  return { key: pems.private, cert: pems.cert };
}

export async function open() {
  const { key, cert } = await certificate();
  const server = https.createServer({ key, cert }, (req, res) => res.end('hello'));
  const port = await listen(server);
  const get = () =>
    new Promise((resolve, reject) => {
      const req = https.get({ host: '127.0.0.1', port, path: '/', ca: cert, agent: false }, (res) => {
        res.resume();
        res.on('end', resolve);
        res.on('error', reject);
      });
      req.on('error', reject);
    });
  return { call: get, close: () => close(server) };
}

// HTTPS on 127.0.0.1 with a self-signed certificate made here (selfsigned,
// an EC P-256 key: no openssl binary). Each call is a GET through a
// keep-alive https.Agent: records encrypted and decrypted by OpenSSL, with
// a new handshake whenever the server or the agent drops the connection.
// (A new connection per call costs 4-15 ms here: too slow for a check.)
import https from 'node:https';
import selfsigned from 'selfsigned';
import { close, getter, listen } from './server.mjs';

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
  const agent = new https.Agent({ keepAlive: true, ca: cert });
  const get = getter(https, port, agent);
  return {
    call: get,
    async close() {
      agent.destroy();
      await close(server);
    },
  };
}

// fetch() (undici) against a node:http server on 127.0.0.1, reading the body.
import http from 'node:http';
import { listen, close } from './server.mjs';

export async function open() {
  const server = http.createServer((req, res) => res.end('hello'));
  const port = await listen(server);
  const url = `http://127.0.0.1:${port}/`;
  return {
    call: async () => {
      const res = await fetch(url);
      return (await res.text()).length;
    },
    close: () => close(server),
  };
}

// node:http on 127.0.0.1: one GET per call, through a keep-alive agent,
// with `agent: false` (a new connection each time), or through the global
// agent. The server runs in the same process, as in a test's beforeAll.
import http from 'node:http';
import { close, getter, listen } from './server.mjs';

/** Agents by name: what `http.get` is given. */
const agents = {
  'keep-alive': () => new http.Agent({ keepAlive: true }),
  'no-agent': () => false,
  global: () => undefined,
};

/** Starts a server; returns the GET to check and how to stop. */
export async function open(agentName) {
  const server = http.createServer((req, res) => res.end('hello'));
  const port = await listen(server);
  const agent = agents[agentName]();
  const get = getter(http, port, agent);
  return {
    call: get,
    async close() {
      if (agent) agent.destroy();
      await close(server);
    },
  };
}

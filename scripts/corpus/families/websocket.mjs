// WebSocket services with ws: a chat-like echo server under client
// connections on 127.0.0.1, steady; and one that keeps every message of a
// session in a history nobody trims (the messages are Buffers: native).
import { KiB, MiB, due, paced } from './common.mjs';

const round = (x, digits = 2) => Number(x.toFixed(digits));

/** A ws server and `clients` connected clients; `onMessage(data, socket)` is the server's handler. */
async function startWs(clients, onMessage) {
  const { WebSocketServer, WebSocket } = await import('ws');
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) => socket.on('message', (data) => onMessage(data, socket)));
  const url = `ws://127.0.0.1:${server.address().port}`;
  const sockets = await Promise.all(
    Array.from({ length: clients }, () => new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    })),
  );
  for (const ws of sockets) ws.on('message', () => {});
  return {
    sockets,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Sends `messagesPerSec` messages of `messageBytes` spread over the clients until `durationMs` is over. */
function sendLoop(ws, p, durationMs) {
  const count = due(p.messagesPerSec, 1);
  let n = 0;
  return paced(durationMs, 50, (dt) => {
    for (let k = count(dt); k > 0; k--, n++) {
      const socket = ws.sockets[n % ws.sockets.length];
      if (socket.bufferedAmount < 4 * MiB) socket.send(Buffer.alloc(p.messageBytes, n & 0xff));
    }
  });
}

export const websocketFamilies = {
  'ws-echo-steady': {
    label: 'stable',
    params: (d) => ({ clients: d.int(2, 20), messagesPerSec: d.int(50, 1500), messageBytes: d.pick([64, 512, 4096, 32768]) }),
    start: async (p) => {
      let echoed = 0;
      const ws = await startWs(p.clients, (data, socket) => {
        echoed++;
        socket.send(data);
      });
      return {
        run: (durationMs) => sendLoop(ws, p, durationMs),
        // ws and the sockets compile and warm up like any service.
        stats: () => ({ nativeBytes: 0, v8Bytes: 0, workingSetBytes: 0, warmupV8Bytes: 3 * MiB, echoed }),
        close: () => ws.close(),
      };
    },
  },
  'ws-history-leak': {
    label: 'native-leak',
    // Every message of every session kept in its history, never trimmed.
    params: (d) => ({ clients: d.int(2, 10), messageBytes: d.pick([512, 2048, 8192, 32768]), leakMBperMin: round(d.logUniform(2, 40)) }),
    start: async (p) => {
      const histories = new Map();
      let nativeBytes = 0;
      const ws = await startWs(p.clients, (data, socket) => {
        if (!histories.has(socket)) histories.set(socket, []);
        histories.get(socket).push(data);
        nativeBytes += data.length;
      });
      const rate = { messagesPerSec: (p.leakMBperMin * MiB) / 60 / p.messageBytes, messageBytes: p.messageBytes };
      return {
        run: (durationMs) => sendLoop(ws, rate, durationMs),
        stats: () => ({ nativeBytes, v8Bytes: 0, workingSetBytes: 0 }),
        close: () => ws.close(),
      };
    },
  },
};

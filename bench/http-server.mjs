// The server of the CLI overhead bench: node:http on a loopback port, each
// request answered with a small JSON body built from a fresh Buffer (so the
// allocator works as in a real service). Prints its port and pid, runs until
// SIGTERM.
import { createServer } from 'node:http';

let served = 0;
const server = createServer((req, res) => {
  const body = Buffer.alloc(1024, served++ & 0xff);
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ served, checksum: body.readUInt32LE(0) }));
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port, pid: process.pid })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));

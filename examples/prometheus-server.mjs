// A complete server exposing prom-client's default metrics plus mallinfo's
// allocator metrics on http://127.0.0.1:9464/metrics.
//   node examples/prometheus-server.mjs   then   curl 127.0.0.1:9464/metrics | grep malloc
import { createServer } from 'node:http';
import client from 'prom-client';
import { collectMallinfoMetrics } from 'mallinfo/prometheus';

client.collectDefaultMetrics();
collectMallinfoMetrics({ labels: { service: 'example' } });

const port = Number(process.env.PORT ?? 9464);
createServer(async (req, res) => {
  if (req.url !== '/metrics') {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': client.register.contentType });
  res.end(await client.register.metrics());
}).listen(port, '127.0.0.1', () => console.log(`metrics on http://127.0.0.1:${port}/metrics`));

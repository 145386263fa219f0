// Starting and stopping a server on an ephemeral port of 127.0.0.1, and
// the GET a check makes against it.

/** Listens on 127.0.0.1, a free port; resolves to the port. */
export function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

/** Closes the server and every connection it still has. */
export function close(server) {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

/** `GET http://127.0.0.1:port/` through `client` (node:http or node:https) and `agent`, body read to the end. */
export function getter(client, port, agent) {
  return () =>
    new Promise((resolve, reject) => {
      const req = client.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
        res.resume();
        res.on('end', resolve);
        res.on('error', reject);
      });
      req.on('error', reject);
    });
}

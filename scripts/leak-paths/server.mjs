// Starting and stopping a server on an ephemeral port of 127.0.0.1.

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

import type { Server } from 'node:http';

/**
 * Stops accepting connections and resolves once the requests in flight have been answered. A keep-alive
 * connection would hold `server.close` open until its client hung up, so idle connections are closed now
 * and again every 50 ms as requests finish; after `graceMs` whatever is still open is cut, so a stuck
 * client cannot stall a shutdown past its grace period.
 */
export function closeServer(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const idleSweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearInterval(idleSweep);
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}

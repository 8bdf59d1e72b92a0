import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openLoop, type LoadTarget } from '../../bench/http/load.js';

/** A server whose first `slowAnswers` answers each take `delayMs`, and every later one none. */
async function slowStartServer(slowAnswers: number, delayMs: number): Promise<{ server: Server; target: LoadTarget }> {
  let answered = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const reply = () => res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '2' }).end('{}');
      if (answered++ < slowAnswers) setTimeout(reply, delayMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, target: { url: `http://127.0.0.1:${port}`, path: '/', headers: { 'content-type': 'application/json' }, bodies: ['{}'] } };
}

describe('openLoop', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('keeps the latencies of every answer when there is no warm-up', async () => {
    const started = await slowStartServer(40, 50);
    server = started.server;
    const measured = await openLoop(started.target, 0.6, 200, 8);
    // 40 of 120 answers took 50 ms or more (8 connections, so later ones also queued behind them).
    expect(measured.p99).toBeGreaterThanOrEqual(50);
    expect(measured.non2xx + measured.errors).toBe(0);
  });

  it('drops the latencies of the warm-up arrivals and measures the rate after them', async () => {
    const started = await slowStartServer(40, 50);
    server = started.server;
    const measured = await openLoop(started.target, 0.6, 200, 8, 0.6);
    expect(measured.p99).toBeLessThan(50);
    expect(measured.rps).toBeGreaterThan(150);
    expect(measured.rps).toBeLessThan(250);
  });
});

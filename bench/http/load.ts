import { Agent, request } from 'node:http';
import autocannon, { type Result } from 'autocannon';

/** What one bounded load run measured. Latencies in ms, of 2xx answers only. */
export interface Measurement {
  /** The paced arrival rate (req/s), or undefined for a closed loop at full speed. */
  offered: number | undefined;
  rps: number;
  p50: number;
  p99: number;
  p999: number;
  non2xx: number;
  errors: number;
}

export interface LoadTarget {
  url: string;
  path: string;
  headers: Record<string, string>;
  /** Request bodies, sent in turn. */
  bodies: readonly string[];
}

/**
 * A closed loop at full speed: `connections` keep-alive connections each send the next request as soon
 * as the previous answer arrives (autocannon). Latencies come from its response events, which are
 * sub-millisecond (its own histogram keeps whole ms).
 */
export function closedLoop(target: LoadTarget, seconds: number, connections: number): Promise<Measurement> {
  let next = 0;
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        connections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            path: target.path,
            headers: target.headers,
            setupRequest: (req) => ({ ...req, body: target.bodies[next++ % target.bodies.length]! }),
          },
        ],
      },
      (error, result: Result) => {
        if (error) return reject(error);
        resolve(measurement(undefined, result.requests.total / result.duration, latencies, result.non2xx, result.errors));
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

/**
 * An open loop at a fixed rate: request i is due at start + i/rate, evenly spaced, whether or not
 * earlier ones were answered, over at most `connections` keep-alive sockets (further requests queue for
 * a socket). Each latency runs from the request's due time, not from when it could be sent, so a stall
 * of the server counts in full for every request it delays (no coordinated omission).
 */
export async function openLoop(target: LoadTarget, seconds: number, rate: number, connections: number): Promise<Measurement> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const { hostname, port } = new URL(target.url);
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const total = Math.round(seconds * rate);
  const answered: Array<Promise<void>> = [];
  const start = performance.now();
  const send = (i: number) =>
    new Promise<void>((resolve) => {
      const due = start + (1000 * i) / rate;
      const body = target.bodies[i % target.bodies.length]!;
      const req = request({ agent, hostname, port, path: target.path, method: 'POST', headers: { ...target.headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) latencies.push(performance.now() - due);
          else non2xx++;
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  for (let i = 0; i < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    for (; i < due; i++) answered.push(send(i));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(answered);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  return measurement(rate, total / elapsed, latencies, non2xx, errors);
}

/** The measurement of a run from its 2xx latencies (sorted here), and prints it. */
export function measurement(offered: number | undefined, rps: number, latencies: number[], non2xx: number, errors: number): Measurement {
  latencies.sort((x, y) => x - y);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  const measured = { offered, rps, p50: at(0.5), p99: at(0.99), p999: at(0.999), non2xx, errors };
  console.log(`  ${rps.toFixed(0)} req/s, p50 ${measured.p50.toFixed(2)} ms, p99 ${measured.p99.toFixed(2)} ms, non-2xx ${non2xx}`);
  return measured;
}

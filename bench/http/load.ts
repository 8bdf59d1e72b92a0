import autocannon, { type Result } from 'autocannon';
import { postRequest, RawConnection } from './raw-connection.js';

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
 * earlier ones were answered, over `connections` keep-alive sockets opened beforehand (a request due
 * while every socket is busy waits for one). Each latency runs from the request's due time, not from
 * when it could be sent, so a stall of the server counts in full for every request it delays (no
 * coordinated omission). Requests go out on `RawConnection`s, the due ones each millisecond, so a
 * latency includes up to a millisecond of the generator's timer. The first `warmupSeconds` of arrivals
 * come at the same rate on the same sockets but their latencies are not kept (their failures are), so
 * that the measured `seconds` begin in the steady state of that rate.
 */
export async function openLoop(target: LoadTarget, seconds: number, rate: number, connections: number, warmupSeconds = 0): Promise<Measurement> {
  const { hostname, port } = new URL(target.url);
  const requests = target.bodies.map((body) => postRequest(`${hostname}:${port}`, target.path, target.headers, body));
  const pool = await Promise.all(Array.from({ length: connections }, () => RawConnection.open(hostname, Number(port))));
  // Taken in turn (first in, first out), so every socket carries requests: last in, first out left most of
  // them idle for seconds at a light load that needs only a few, long enough for a server's keep-alive
  // timeout (Node.js's default is 5 s), and the last bench:http run with it counted failed requests.
  const idle = [...pool];
  let alive = pool.length;
  const waiting: number[] = [];
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let settled = 0;
  const warmup = Math.round(warmupSeconds * rate);
  const total = warmup + Math.round(seconds * rate);
  const start = performance.now();
  const dueAt = (i: number) => start + (1000 * i) / rate;
  let allSettled = () => {};
  const finished = new Promise<void>((resolve) => (allSettled = resolve));
  const send = (connection: RawConnection, i: number) => {
    connection.request(requests[i % requests.length]!).then(
      (status) => {
        if (status < 200 || status >= 300) non2xx++;
        else if (i >= warmup) latencies.push(performance.now() - dueAt(i));
        const next = waiting.shift();
        if (next === undefined) idle.push(connection);
        else send(connection, next);
        if (++settled === total) allSettled();
      },
      () => {
        // The connection is gone: once none is left, the requests waiting for one fail too, so the run ends.
        alive--;
        fail(alive === 0 ? [i, ...waiting.splice(0)] : [i]);
      },
    );
  };
  const fail = (failed: readonly number[]) => {
    errors += failed.length;
    settled += failed.length;
    if (settled === total) allSettled();
  };
  for (let i = 0; i < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    for (; i < due; i++) {
      const connection = idle.shift();
      if (alive === 0) fail([i]);
      else if (connection === undefined) waiting.push(i);
      else send(connection, i);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await finished;
  const elapsed = (performance.now() - dueAt(warmup)) / 1000;
  for (const connection of pool) connection.close();
  return measurement(rate, (total - warmup) / elapsed, latencies, non2xx, errors);
}

/** The measurement of a run from its 2xx latencies (sorted here), and prints it. */
export function measurement(offered: number | undefined, rps: number, latencies: number[], non2xx: number, errors: number): Measurement {
  latencies.sort((x, y) => x - y);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  const measured = { offered, rps, p50: at(0.5), p99: at(0.99), p999: at(0.999), non2xx, errors };
  console.log(`  ${rps.toFixed(0)} req/s, p50 ${measured.p50.toFixed(2)} ms, p99 ${measured.p99.toFixed(2)} ms, non-2xx ${non2xx}`);
  return measured;
}

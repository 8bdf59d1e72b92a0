/**
 * The framework's ceiling for `npm run bench:http`: Express 5 with one handler that answers a constant
 * JSON body of the size of a `/choose` answer, with no body parsing, auth or helmet. Listens on an
 * ephemeral port of 127.0.0.1 and prints `{"url": …}` on stdout once it does; SIGTERM stops it.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';

const BODY = {
  decisionId: '019ac0d2-0000-7000-8000-000000000000',
  arm: 'podcast:morning-briefing',
  propensity: 0.8714,
  policy: 'linucb',
  modelVersion: 0,
  configVersion: 'c4650048816ddfac',
  deferred: false,
  replayed: false,
};

const app = express();
app.post('/choose', (_request, response) => {
  response.json(BODY);
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));

/**
 * The framework's ceiling for `npm run bench:http`: Express 5 with one handler that answers a constant
 * JSON body of the size of a `/choose` answer, with no body parsing, auth or helmet. Listens on PORT of
 * 127.0.0.1 and answers `/healthz` like the service, so it starts as a replica does; SIGTERM stops it.
 */
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
app.get('/healthz', (_request, response) => {
  response.json({ status: 'ok' });
});
const server = app.listen(Number(process.env['PORT']), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));

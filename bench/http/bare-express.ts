/**
 * The framework's ceiling for `npm run bench:http`: Express 5 with one handler that answers a constant
 * JSON body (`constant-answer.ts`), with no body parsing, auth or helmet. Listens on PORT of
 * 127.0.0.1 and answers `/healthz` like the service, so it starts as a replica does; SIGTERM stops it.
 */
import express from 'express';
import { CONSTANT_ANSWER } from './constant-answer.js';

const app = express();
app.post('/choose', (_request, response) => {
  response.json(CONSTANT_ANSWER);
});
app.get('/healthz', (_request, response) => {
  response.json({ status: 'ok' });
});
const server = app.listen(Number(process.env['PORT']), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));

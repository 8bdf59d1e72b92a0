/**
 * The floor under the framework for `npm run bench:http`: Node.js's own HTTP server answering the
 * constant JSON body of `bare-express.ts` to every request (`/healthz` included), with no framework.
 * Its latency at the service's half load is what this machine and load generator allow a Node.js
 * server. Listens on PORT of 127.0.0.1, so it starts as a replica does; SIGTERM stops it.
 */
import { createServer } from 'node:http';
import { CONSTANT_ANSWER } from './constant-answer.js';

const server = createServer((request, response) => {
  request.resume();
  const answer = JSON.stringify(CONSTANT_ANSWER);
  response.writeHead(200, ['Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(Buffer.byteLength(answer))]);
  response.end(answer);
});
server.listen(Number(process.env['PORT']), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));

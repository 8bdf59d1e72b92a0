import type { Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody, jsonBodyReader } from '../../src/api/json-body.js';
import { errorHandler } from '../../src/errors.js';

/** Echoes the parsed body, and whether one was parsed at all. */
function echoApp(limitBytes = 1024) {
  const app = express();
  app.use(jsonBody(jsonBodyReader(limitBytes)));
  app.post('/echo', (req, res) => {
    res.json({ parsed: req.body !== undefined, body: req.body as unknown });
  });
  app.use(errorHandler());
  return app;
}

let server: Server;
let url: string;

/** Sends the bytes as they are (a stream is sent chunked), and reads the JSON answer. */
async function post(headers: Record<string, string>, body: string | Buffer | ReadableStream) {
  const response = await fetch(url, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('jsonBody', () => {
  beforeAll(async () => {
    server = echoApp().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/echo`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it.each([
    ['application/json', '{"surface":"home","n":1}'],
    ['application/json; charset=utf-8', '{"surface":"home","n":1}'],
    ['Application/JSON; charset="UTF-8"', '{"surface":"home","n":1}'],
    ['application/json', '  \n[1, 2]'],
  ])('parses %s read directly', async (type, body) => {
    const response = await post({ 'content-type': type }, body);
    expect(response.status).toBe(200);
    expect(response.body.body).toEqual(JSON.parse(body));
  });

  it('parses what only body-parser reads: a gzip body, a chunked body and a UTF-16 body', async () => {
    const gzipped = await post({ 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync('{"a":"gzip"}'));
    expect(gzipped.body.body).toEqual({ a: 'gzip' });
    const utf16 = await post({ 'content-type': 'application/json; charset=utf-16le' }, Buffer.from('{"a":"utf16"}', 'utf16le'));
    expect(utf16.body.body).toEqual({ a: 'utf16' });
    const encoder = new TextEncoder();
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(encoder.encode('{"a":'));
        controller.enqueue(encoder.encode('"chunked"}'));
        controller.close();
      },
    });
    const chunked = (await post({ 'content-type': 'application/json' }, stream)).body;
    expect(chunked).toEqual({ parsed: true, body: { a: 'chunked' } });
  });

  it('leaves a body of another type unparsed', async () => {
    const response = await post({ 'content-type': 'text/plain' }, '{"a":1}');
    expect(response.body).toEqual({ parsed: false });
  });

  it('reads an empty JSON body as {}', async () => {
    const response = await post({ 'content-type': 'application/json' }, '');
    expect(response.body.body).toEqual({});
  });

  it.each([
    ['malformed JSON', '{"surface": ', 400, 'invalid_json'],
    ['a top-level string (strict, like body-parser)', '"home"', 400, 'invalid_json'],
    ['a bare NaN', '{"x": NaN}', 400, 'invalid_json'],
    ['a body over the limit', JSON.stringify({ pad: 'x'.repeat(2000) }), 413, 'payload_too_large'],
  ])('refuses %s with %d %s', async (_, body, status, code) => {
    const response = await post({ 'content-type': 'application/json' }, body);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
  });

  it('refuses invalid UTF-8 on both paths instead of decoding it to U+FFFD', async () => {
    const invalid = Buffer.concat([Buffer.from('{"unit":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    for (const encoding of ['identity', 'gzip']) {
      const body = encoding === 'gzip' ? gzipSync(invalid) : invalid;
      const response = await post({ 'content-type': 'application/json', 'content-encoding': encoding }, body);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('invalid_utf8');
    }
  });
});

import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { AppError, badRequest } from '../errors.js';

/** `application/json`, optionally with `charset=utf-8`: what every surface client sends. */
const PLAIN_JSON = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** Reads a request's JSON body: resolves with it parsed, or rejects with the 4xx error to answer. */
export type JsonBodyReader = (req: IncomingMessage, res: ServerResponse) => Promise<unknown>;

/**
 * Reads JSON request bodies as `express.json()` does, with the same limit and errors.
 *
 * The common request — `Content-Type: application/json` (UTF-8), a Content-Length and no
 * Content-Encoding — is read here directly: its chunks are joined once, checked to be UTF-8 and given
 * to `JSON.parse`. body-parser's general path (charset decoding, inflation, chunked bodies) cost
 * about 70 µs of each `/choose` in `npm run bench:http`, a quarter of what bare Express spends on a
 * whole request. Every other request goes to `express.json()` itself, so their handling is unchanged.
 */
export function jsonBodyReader(limitBytes: number): JsonBodyReader {
  const general = express.json({ limit: limitBytes, verify: rejectInvalidUtf8 });
  return (req, res) => {
    const length = plainJsonLength(req);
    if (length === undefined) {
      // body-parser reads any Node.js request; it leaves `body` undefined for a type it does not parse.
      const request = req as Request;
      return new Promise((resolve, reject) => general(request, res as Response, (error?: unknown) => (error ? reject(error) : resolve(request.body))));
    }
    if (length > limitBytes) return Promise.reject(new AppError(413, 'payload_too_large', 'request entity too large'));
    return readBody(req, length).then(parseStrict);
  };
}

/** A `jsonBodyReader` as Express middleware: the parsed body goes to `req.body`. */
export function jsonBody(read: JsonBodyReader): RequestHandler {
  return (req, res, next) => {
    read(req, res).then((body) => {
      req.body = body;
      next();
    }, next);
  };
}

/** The declared length of a request on the direct path, or undefined when body-parser must read it. */
function plainJsonLength(req: IncomingMessage): number | undefined {
  const { headers } = req;
  const type = headers['content-type'];
  const length = headers['content-length'];
  if (type === undefined || length === undefined || headers['transfer-encoding'] !== undefined) return undefined;
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return undefined;
  if (!PLAIN_JSON.test(type) || !/^\d{1,15}$/.test(length)) return undefined;
  return Number(length);
}

function readBody(req: IncomingMessage, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
    });
    req.on('end', () => {
      // Node's parser stops at Content-Length, so a shorter body is one that ended early.
      if (received !== length) reject(badRequest('invalid_request_size', 'request size did not match content length'));
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
    });
    req.on('aborted', () => reject(badRequest('request_aborted', 'request aborted')));
    req.on('error', reject);
  });
}

/**
 * body-parser's `strict` JSON: an empty body is `{}`, and only an object or an array may be at the top.
 * @throws AppError 400 `invalid_utf8` or `invalid_json`.
 */
function parseStrict(body: Buffer): unknown {
  if (body.length === 0) return {};
  if (!isUtf8(body)) throw invalidUtf8();
  const text = body.toString('utf8');
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') throw badRequest('invalid_json', `Unexpected token ${first ?? 'end of input'} in JSON: only an object or an array`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest('invalid_json', error instanceof Error ? error.message : 'invalid JSON');
  }
}

/**
 * body-parser would decode invalid UTF-8 to U+FFFD and carry on, so a unit id or event id with a bad
 * byte would be logged as a different string than the client sent. Refuse it instead.
 */
function rejectInvalidUtf8(_req: unknown, _res: unknown, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase() === 'utf-8' && !isUtf8(body)) throw invalidUtf8();
}

const invalidUtf8 = (): AppError => badRequest('invalid_utf8', 'The request body is not valid UTF-8');

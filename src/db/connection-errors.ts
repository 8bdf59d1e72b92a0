/**
 * SQLSTATE classes and socket errors that mean "the database is not reachable now", as opposed to a
 * query that is wrong: 08 connection exception, 57P01–57P03 shutdown and start-up, 53300 too many
 * connections (PostgreSQL manual, appendix A, "PostgreSQL Error Codes").
 */
const UNAVAILABLE_SQLSTATES = /^(08|57P0[123]|53300)/;
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/;

/** True when `error` says the database cannot be reached, so the request may be retried later. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : '';
  const message = error instanceof Error ? error.message : '';
  return UNAVAILABLE_SQLSTATES.test(code) || UNAVAILABLE_SOCKET_CODES.has(code) || UNAVAILABLE_MESSAGES.test(message);
}

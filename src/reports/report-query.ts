import { badRequest, type ErrorDetail } from '../errors.js';
import type { ReportRequest } from './build-report.js';

/**
 * The query string of `GET /surfaces/{surfaceId}/report`: `from` and `to` as ISO 8601 date-times with
 * an offset, `leaderboard` as `true` or `false`.
 * @throws AppError 400 `invalid_request` with one detail per offending parameter.
 */
export function parseReportQuery(query: Readonly<Record<string, unknown>>): ReportRequest {
  const details: ErrorDetail[] = [];
  const date = (name: 'from' | 'to'): Date | undefined => {
    const raw = query[name];
    if (raw === undefined) return undefined;
    const parsed = typeof raw === 'string' && ISO_DATE_TIME.test(raw) ? new Date(raw) : undefined;
    if (parsed === undefined || Number.isNaN(parsed.getTime())) {
      details.push({ path: name, message: 'must be an ISO 8601 date-time with an offset, e.g. 2026-11-01T00:00:00Z' });
      return undefined;
    }
    return parsed;
  };
  const from = date('from');
  const to = date('to');
  const leaderboard = query['leaderboard'];
  if (leaderboard !== undefined && leaderboard !== 'true' && leaderboard !== 'false') {
    details.push({ path: 'leaderboard', message: 'must be true or false' });
  }
  if (from && to && !(from < to)) details.push({ path: 'to', message: 'must be after from' });
  if (details.length > 0) throw badRequest('invalid_request', `Invalid report query: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}`, details);
  return { ...(from ? { from } : {}), ...(to ? { to } : {}), leaderboard: leaderboard !== 'false' };
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

import { describe, expect, it } from 'vitest';
import { parseReportOptions } from '../../src/cli/report-options.js';

describe('parseReportOptions', () => {
  it('reads a full command line', () => {
    expect(
      parseReportOptions(['--surface', 'home', '--from', '2026-11-01', '--to', '2026-11-08T12:00:00+01:00', '--format', 'md', '--no-leaderboard', '--candidate', 'a.yaml', '--candidate', 'b.yaml']),
    ).toEqual({
      surface: 'home',
      from: new Date('2026-11-01T00:00:00Z'),
      to: new Date('2026-11-08T11:00:00Z'),
      format: 'md',
      leaderboard: false,
      candidates: ['a.yaml', 'b.yaml'],
    });
  });

  it('defaults to a table with the leaderboard over the whole log', () => {
    expect(parseReportOptions(['--surface=home'])).toEqual({ surface: 'home', format: 'table', leaderboard: true, candidates: [] });
  });

  it('answers help', () => {
    expect(parseReportOptions(['--surface', 'home', '-h'])).toBe('help');
  });

  it.each([
    [[], '--surface ID is required'],
    [['--surface'], '--surface needs a value'],
    [['--surface', 'home', '--surface', 'browse'], '--surface is given more than once'],
    [['--surface', 'home', '--format', 'xml'], '--format must be one of table, json, csv, md, got "xml"'],
    [['--surface', 'home', '--from', 'yesterday'], '--from must be a date (2026-11-01) or a date-time with an offset (2026-11-01T08:00:00Z), got "yesterday"'],
    [['--surface', 'home', '--from', '2026-11-02', '--to', '2026-11-01'], '--from (2026-11-02T00:00:00.000Z) must be before --to (2026-11-01T00:00:00.000Z)'],
    [['--surface', 'home', '--seed', '1'], 'unknown flag --seed'],
    [['home'], 'unexpected argument "home"'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseReportOptions(argv)).toThrow(message);
  });
});

import type { ReportFormat } from '../cli/report-options.js';
import type { Report, ReportInterval } from './report-types.js';

interface Table {
  title: string;
  headers: string[];
  rows: string[][];
}

/** The report as text for a terminal (`table`), Markdown (`md`), CSV (one row per policy arm) or JSON. */
export function formatReport(report: Report, format: ReportFormat): string {
  if (format === 'json') return JSON.stringify(report, null, 2);
  if (format === 'csv') return csv(report);
  const tables = reportTables(report);
  const notes = reportNotes(report);
  if (format === 'md') return [...tables.map(markdownTable), notes.map((note) => `- ${note}`).join('\n')].join('\n\n');
  return [...tables.map(textTable), notes.join('\n')].join('\n\n');
}

const number = (x: number | null, digits = 4): string => (x === null ? '—' : x.toFixed(digits));
const signedPercent = (x: number | null): string => (x === null ? '—' : `${x > 0 ? '+' : ''}${(100 * x).toFixed(1)}%`);
const percent = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
const interval = (i: ReportInterval, format: (x: number | null) => string = number): string =>
  i.estimate === null ? '—' : `${format(i.estimate)} [${format(i.low)}, ${format(i.high)}]`;
const pValue = (p: number | null): string => (p === null ? '—' : p < 1e-4 ? p.toExponential(1) : p.toFixed(4));

function reportTables(report: Report): Table[] {
  const window = `${report.from ?? 'start'} – ${report.to ?? 'now'}`;
  const tables: Table[] = [
    {
      title: `Policy arms of ${report.surface}, ${window}`,
      headers: ['Policy arm', 'Learner', 'Decisions', 'Rewards', 'Since', 'Mean reward [95% CI]', 'Always-valid 95%', 'Lift vs control [95% CI]', 'p-value'],
      rows: report.policyArms.map((arm) => [
        arm.policyArm + (arm.policyArm === report.controlPolicyArm ? ' (control)' : ''),
        arm.learner ?? 'not configured',
        String(arm.decisions),
        String(arm.rewarded),
        arm.firstDecisionAt?.slice(0, 10) ?? '—',
        interval(arm.meanReward),
        interval(arm.confidenceSequence),
        arm.comparison ? interval(arm.comparison.relativeLift, signedPercent) : '—',
        arm.comparison ? pValue(arm.comparison.pValue) : '—',
      ]),
    },
    {
      title: 'Traffic split',
      headers: ['Policy arm', 'Configured', 'Observed', 'Decisions'],
      rows: report.policyArms.map((arm) => [arm.policyArm, percent(arm.configuredShare), percent(arm.observedShare), String(arm.decisions)]),
    },
  ];
  if (report.leaderboard) {
    tables.push({
      title: `Counterfactual leaderboard on ${report.leaderboard.rounds} rewarded decisions of ${report.leaderboard.policyArm} (${report.leaderboard.mode})`,
      headers: ['Policy', 'Learner', 'SNIPS [95% CI]', 'DR [95% CI]'],
      rows: report.leaderboard.entries.map((entry) => [entry.policy, entry.learner, interval(entry.snips), interval(entry.dr)]),
    });
  }
  return tables;
}

function reportNotes(report: Report): string[] {
  const srm = report.sampleRatioMismatch;
  return [
    srm.pValue === null
      ? 'Sample ratio: no traffic.'
      : `Sample ratio: ${srm.flagged ? 'MISMATCH' : 'as configured'} (χ² = ${number(srm.statistic, 2)}, ${srm.degreesOfFreedom} df, p = ${pValue(srm.pValue)}, flagged below ${srm.threshold}).`,
    `p-values: ${report.test === 'two-proportion-z' ? 'two-proportion z-test' : "Welch's t-test"} against the control; lift interval by the delta method.`,
    `Always-valid: ${report.confidenceSequence.method}, tightest at ${report.confidenceSequence.optimizedFor} rewards; valid however often it is looked at.`,
  ];
}

function textTable({ title, headers, rows }: Table): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [title, line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function markdownTable({ title, headers, rows }: Table): string {
  const line = (cells: string[]) => `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`;
  return [`### ${title}`, '', line(headers), `|${headers.map((_, i) => (i < 2 ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.map(line)].join('\n');
}

function csv(report: Report): string {
  const headers = [
    'policy_arm', 'learner', 'configured_share', 'decisions', 'rewarded', 'mean_reward', 'ci_low', 'ci_high', 'cs_low', 'cs_high',
    'relative_lift', 'lift_low', 'lift_high', 'test', 'p_value', 'first_decision_at',
  ];
  const value = (x: string | number | null | undefined): string => {
    if (x === null || x === undefined) return '';
    const text = String(x);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const rows = report.policyArms.map((arm) =>
    [
      arm.policyArm, arm.learner, arm.configuredShare, arm.decisions, arm.rewarded, arm.meanReward.estimate, arm.meanReward.low,
      arm.meanReward.high, arm.confidenceSequence.low, arm.confidenceSequence.high, arm.comparison?.relativeLift.estimate,
      arm.comparison?.relativeLift.low, arm.comparison?.relativeLift.high, arm.comparison?.test, arm.comparison?.pValue, arm.firstDecisionAt,
    ].map(value).join(','),
  );
  return [headers.join(','), ...rows].join('\n');
}

import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/reports/format-report.js';
import type { Report, ReportPolicyArm } from '../../src/reports/report-types.js';

const interval = (estimate: number, low: number, high: number) => ({ estimate, low, high });
const arm = (policyArm: string, learner: string, share: number, mean: number, comparison: ReportPolicyArm['comparison']): ReportPolicyArm => ({
  policyArm,
  learner,
  configuredShare: share,
  observedShare: share,
  decisions: 1000 * share,
  rewarded: 1000 * share,
  observed: 1000 * share,
  firstDecisionAt: '2026-06-01T00:00:00.000Z',
  lastDecisionAt: '2026-06-07T00:00:00.000Z',
  meanReward: interval(mean, mean - 0.05, mean + 0.05),
  confidenceSequence: interval(mean, mean - 0.1, mean + 0.1),
  comparison,
  arms: [],
});

const REPORT: Report = {
  surface: 'home',
  from: null,
  to: null,
  generatedAt: '2026-06-08T00:00:00.000Z',
  level: 0.95,
  rewardType: 'binary',
  controlPolicyArm: 'control',
  test: 'two-proportion-z',
  confidenceSequence: { method: 'normal mixture', optimizedFor: 10000 },
  policyArms: [
    arm('linucb', 'linucb', 0.9, 0.3, {
      difference: interval(0.1, 0.02, 0.18),
      relativeLift: interval(0.5, 0.1, 0.9),
      test: 'two-proportion-z',
      statistic: 2.5,
      pValue: 0.0124,
    }),
    arm('control', 'uniform', 0.1, 0.2, null),
  ],
  sampleRatioMismatch: { statistic: 0, degreesOfFreedom: 1, pValue: 1, threshold: 0.001, flagged: false },
  timeSeries: { days: [], policyArms: [] },
  leaderboard: null,
};

describe('formatReport', () => {
  it('lines up a terminal table', () => {
    const text = formatReport(REPORT, 'table');
    expect(text).toContain('Policy arms of home, start – now');
    expect(text).toMatch(/linucb\s+linucb\s+900\s+900\s+2026-06-01\s+0\.3000 \[0\.2500, 0\.3500\]\s+0\.3000 \[0\.2000, 0\.4000\]\s+\+50\.0% \[\+10\.0%, \+90\.0%\]\s+0\.0124/);
    expect(text).toContain('Sample ratio: as configured (χ² = 0.00, 1 df, p = 1.0000, flagged below 0.001).');
  });

  it('writes Markdown tables', () => {
    expect(formatReport(REPORT, 'md')).toContain('| control (control) | uniform | 100 | 100 | 2026-06-01 | 0.2000 [0.1500, 0.2500] | 0.2000 [0.1000, 0.3000] | — | — |');
  });

  it('writes one CSV row per policy arm with raw numbers', () => {
    const [header, linucb, control] = formatReport(REPORT, 'csv').split('\n');
    expect(header).toBe('policy_arm,learner,configured_share,decisions,rewarded,mean_reward,ci_low,ci_high,cs_low,cs_high,relative_lift,lift_low,lift_high,test,p_value,first_decision_at');
    expect(linucb).toBe('linucb,linucb,0.9,900,900,0.3,0.25,0.35,0.19999999999999998,0.4,0.5,0.1,0.9,two-proportion-z,0.0124,2026-06-01T00:00:00.000Z');
    expect(control).toBe('control,uniform,0.1,100,100,0.2,0.15000000000000002,0.25,0.1,0.30000000000000004,,,,,,2026-06-01T00:00:00.000Z');
  });
});

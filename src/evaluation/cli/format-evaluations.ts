import type { EstimateResult } from '../evaluation-types.js';
import type { LogEvaluation } from '../evaluate-log.js';
import { csvField } from '../inputs/csv-fields.js';
import type { OpeFormat } from './ope-options.js';

/**
 * Renders evaluations for the terminal or a pipe:
 * - `json`: one evaluation as `{policy, rows, estimates, diagnostics, warnings}`, several as `{policies: […]}`;
 * - `csv`: one line per policy and estimator;
 * - `table`: a block per policy, one line per estimator, then the warnings.
 */
export function formatEvaluations(evaluations: readonly LogEvaluation[], format: OpeFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify(evaluations.length === 1 ? evaluations[0] : { policies: evaluations }, null, 2);
    case 'csv':
      return csv(evaluations);
    case 'table':
      return evaluations.map(table).join('\n\n');
  }
}

/** `dros:5` for a parametrised estimator, else its name. */
export function estimatorLabel(estimate: Pick<EstimateResult, 'estimator' | 'parameter'>): string {
  return estimate.parameter === undefined ? estimate.estimator : `${estimate.estimator}:${estimate.parameter}`;
}

const CSV_HEADER = ['policy', 'estimator', 'value', 'ci_low', 'ci_high', 'normal_ci_low', 'normal_ci_high', 'ess', 'max_weight', 'rows'];

function csv(evaluations: readonly LogEvaluation[]): string {
  const lines = [CSV_HEADER.join(',')];
  for (const evaluation of evaluations) {
    for (const estimate of evaluation.estimates) {
      const cells = [evaluation.policy, estimatorLabel(estimate)].map(csvField);
      const numbers = [estimate.value, ...estimate.ci, ...estimate.normalCi, estimate.ess, estimate.maxWeight, evaluation.rows];
      lines.push([...cells, ...numbers.map(String)].join(','));
    }
  }
  return lines.join('\n');
}

function table(evaluation: LogEvaluation): string {
  const header = ['estimator', 'value', 'bootstrap interval', 'normal interval', 'ESS', 'max weight'];
  const rows = evaluation.estimates.map((estimate) => [
    estimatorLabel(estimate),
    fixed(estimate.value),
    `[${fixed(estimate.ci[0])}, ${fixed(estimate.ci[1])}]`,
    `[${fixed(estimate.normalCi[0])}, ${fixed(estimate.normalCi[1])}]`,
    estimate.ess.toFixed(1),
    fixed(estimate.maxWeight),
  ]);
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  const { diagnostics } = evaluation;
  const warnings = [...evaluation.warnings, ...evaluation.estimates.flatMap((estimate) => estimate.warnings.map((warning) => `${estimatorLabel(estimate)}: ${warning}`))];
  return [
    `policy ${evaluation.policy} — ${evaluation.rows} rounds`,
    line(header),
    ...rows.map(line),
    `weights: ESS ${diagnostics.ess.toFixed(1)}, max ${fixed(diagnostics.maxWeight)}, mean ${fixed(diagnostics.meanWeight)}; support deficiency ${fixed(diagnostics.supportDeficiency)}`,
    ...warnings.map((warning) => `warning: ${warning}`),
  ].join('\n');
}

function fixed(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1000 ? value.toExponential(3) : value.toFixed(5);
}

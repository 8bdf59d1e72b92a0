import type { LogEvaluation } from '../evaluate-log.js';
import { estimatorLabel } from './format-evaluations.js';

const ROW = 24;
const LABEL_WIDTH = 300;
const PLOT_WIDTH = 420;
const MARGIN = 16;

/**
 * A small SVG forest plot, written by hand (no dependency): one row per policy and estimator, a dot at
 * the estimate and a bar over its bootstrap interval, on a shared horizontal axis that spans every
 * interval, with the axis ends labelled. Non-finite values are left out of the axis and drawn as text.
 */
export function plotEstimates(evaluations: readonly LogEvaluation[]): string {
  const rows = evaluations.flatMap((evaluation) =>
    evaluation.estimates.map((estimate) => ({ label: `${evaluation.policy} · ${estimatorLabel(estimate)}`, value: estimate.value, ci: estimate.ci })),
  );
  const finite = rows.flatMap((row) => [row.value, ...row.ci]).filter(Number.isFinite);
  let low = finite.length > 0 ? Math.min(...finite) : 0;
  let high = finite.length > 0 ? Math.max(...finite) : 1;
  if (high === low) {
    low -= 0.5;
    high += 0.5;
  }
  const x = (value: number) => LABEL_WIDTH + ((value - low) / (high - low)) * PLOT_WIDTH;
  const height = MARGIN * 2 + ROW * (rows.length + 1);
  const width = LABEL_WIDTH + PLOT_WIDTH + MARGIN * 2;
  const axisY = MARGIN + ROW * rows.length + 4;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
  ];
  rows.forEach((row, index) => {
    const y = MARGIN + ROW * index + ROW / 2;
    parts.push(`<text x="${LABEL_WIDTH - 8}" y="${y + 4}" text-anchor="end">${escapeXml(row.label)}</text>`);
    if (!Number.isFinite(row.value)) {
      parts.push(`<text x="${LABEL_WIDTH}" y="${y + 4}">${escapeXml(String(row.value))}</text>`);
      return;
    }
    if (row.ci.every(Number.isFinite)) {
      parts.push(`<line x1="${round(x(row.ci[0]))}" x2="${round(x(row.ci[1]))}" y1="${y}" y2="${y}" stroke="#4a6fa5" stroke-width="2"/>`);
    }
    parts.push(`<circle cx="${round(x(row.value))}" cy="${y}" r="4" fill="#1f3b63"><title>${escapeXml(`${row.label}: ${row.value} [${row.ci[0]}, ${row.ci[1]}]`)}</title></circle>`);
  });
  parts.push(
    `<line x1="${LABEL_WIDTH}" x2="${LABEL_WIDTH + PLOT_WIDTH}" y1="${axisY}" y2="${axisY}" stroke="#888"/>`,
    `<text x="${LABEL_WIDTH}" y="${axisY + 16}" text-anchor="start">${escapeXml(low.toPrecision(4))}</text>`,
    `<text x="${LABEL_WIDTH + PLOT_WIDTH}" y="${axisY + 16}" text-anchor="end">${escapeXml(high.toPrecision(4))}</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

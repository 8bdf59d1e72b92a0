/** One line of the plot: y-values at x = 1, 2, …, n. */
export interface CurveSeries {
  label: string;
  color: string;
  dashed: boolean;
  values: ArrayLike<number>;
}

export interface PlotLabels {
  title: string;
  x: string;
  y: string;
}

const WIDTH = 900;
const HEIGHT = 440;
/** The legend sits in the right margin, where no curve can run under it. */
const MARGIN = { left: 60, right: 210, top: 40, bottom: 50 };
/** Points kept per line: a cumulative average is smooth, and 20 000 points a line would make a 1 MB file. */
const MAX_POINTS = 400;
/** The y-range is fitted to the curves after their first 2 % of rounds, where a handful of rewards swing them. */
const SETTLING_SHARE = 0.02;

/**
 * A self-contained SVG line chart of learning curves: axes with round-number ticks, one polyline per
 * series (dashed when asked), a legend, and a clip path for the early points outside the y-range.
 * @throws RangeError when there is no series or a series is empty.
 */
export function learningCurveSvg(series: readonly CurveSeries[], labels: PlotLabels): string {
  if (series.length === 0) throw new RangeError('a plot needs at least one series');
  for (const line of series) if (line.values.length === 0) throw new RangeError(`series "${line.label}" is empty`);
  const xMax = Math.max(...series.map((line) => line.values.length));
  const settled = series.flatMap((line) => Array.from(line.values).slice(Math.floor(line.values.length * SETTLING_SHARE)));
  const yStep = niceStep(Math.max(...settled) - Math.min(...settled), 5);
  const yMin = Math.floor(Math.min(...settled) / yStep) * yStep;
  const yMax = Math.ceil(Math.max(...settled) / yStep) * yStep || yStep;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x: number) => MARGIN.left + ((x - 1) / Math.max(1, xMax - 1)) * plotWidth;
  const py = (y: number) => MARGIN.top + (1 - (y - yMin) / (yMax - yMin || 1)) * plotHeight;
  const xStep = niceStep(xMax, 6);
  const xTicks = range(xStep, xMax, xStep);
  const yTicks = range(yMin, yMax + yStep / 2, yStep);
  const lines = series.map((line) => {
    const stride = Math.max(1, Math.ceil(line.values.length / MAX_POINTS));
    const points: string[] = [];
    for (let i = 0; i < line.values.length; i += stride) points.push(`${fixed(px(i + 1))},${fixed(py(line.values[i]!))}`);
    const last = line.values.length - 1;
    if (last % stride !== 0) points.push(`${fixed(px(last + 1))},${fixed(py(line.values[last]!))}`);
    const dash = line.dashed ? ' stroke-dasharray="6 4"' : '';
    return `<polyline fill="none" stroke="${line.color}" stroke-width="1.8"${dash} points="${points.join(' ')}"/>`;
  });
  const legend = series.map((line, i) => {
    const y = MARGIN.top + 14 + i * 18;
    const dash = line.dashed ? ' stroke-dasharray="6 4"' : '';
    return [
      `<line x1="${MARGIN.left + plotWidth + 14}" x2="${MARGIN.left + plotWidth + 44}" y1="${y}" y2="${y}" stroke="${line.color}" stroke-width="1.8"${dash}/>`,
      `<text x="${MARGIN.left + plotWidth + 52}" y="${y + 4}">${escape(line.label)}</text>`,
    ].join('');
  });
  const bottom = MARGIN.top + plotHeight;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<clipPath id="plot"><rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}"/></clipPath>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="14">${escape(labels.title)}</text>`,
    ...yTicks.map((y) => `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotWidth}" y1="${fixed(py(y))}" y2="${fixed(py(y))}" stroke="#e4e4e4"/><text x="${MARGIN.left - 6}" y="${fixed(py(y) + 4)}" text-anchor="end">${tickLabel(y, yStep)}</text>`),
    ...xTicks.map((x) => `<line x1="${fixed(px(x))}" x2="${fixed(px(x))}" y1="${bottom}" y2="${bottom + 5}" stroke="black"/><text x="${fixed(px(x))}" y="${bottom + 18}" text-anchor="middle">${tickLabel(x, xStep)}</text>`),
    `<path d="M${MARGIN.left},${MARGIN.top}V${bottom}H${MARGIN.left + plotWidth}" fill="none" stroke="black"/>`,
    `<g clip-path="url(#plot)">`,
    ...lines,
    `</g>`,
    ...legend,
    `<text x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 10}" text-anchor="middle">${escape(labels.x)}</text>`,
    `<text transform="translate(16 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escape(labels.y)}</text>`,
    `</svg>`,
    '',
  ].join('\n');
}

/** The step among 1, 2, 5 × 10ᵏ that cuts `span` into at most about `count` intervals (Heckbert 1990, "Nice numbers for graph labels"). */
function niceStep(span: number, count: number): number {
  if (!(span > 0)) return 0.1;
  const rough = span / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const multiple = [1, 2, 5, 10].find((m) => m * power >= rough)!;
  return multiple * power;
}

function range(from: number, to: number, step: number): number[] {
  const values: number[] = [];
  for (let i = 0; from + i * step <= to; i++) values.push(from + i * step);
  return values;
}

function tickLabel(value: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return value.toLocaleString('en', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

function fixed(value: number): string {
  return value.toFixed(1);
}

function escape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

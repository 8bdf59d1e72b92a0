import { describe, expect, it } from 'vitest';
import { learningCurveSvg, type CurveSeries } from '../../src/simulation/learning-curve-svg.js';

const LABELS = { title: 'Curves', x: 'round', y: 'reward' };

/** The (x, y) points of every polyline, in document order. */
function polylines(svg: string): Array<{ dashed: boolean; points: Array<[number, number]> }> {
  return [...svg.matchAll(/<polyline ([^>]*)\/>/g)].map(([, attributes]) => ({
    dashed: attributes!.includes('stroke-dasharray'),
    points: /points="([^"]*)"/.exec(attributes!)![1]!.split(' ').map((pair) => pair.split(',').map(Number) as [number, number]),
  }));
}

describe('learningCurveSvg', () => {
  const rising = Float64Array.from({ length: 20_000 }, (_, t) => 0.4 - 0.2 / Math.sqrt(t + 1));
  const series: CurveSeries[] = [
    { label: 'linucb, service', color: '#0072b2', dashed: false, values: rising },
    { label: 'linucb, in process', color: '#0072b2', dashed: true, values: rising.map((y) => y + 0.01) },
  ];

  it('draws one polyline per series, dashed as asked, thinned to at most 401 points', () => {
    const lines = polylines(learningCurveSvg(series, LABELS));
    expect(lines.map((line) => line.dashed)).toEqual([false, true]);
    for (const line of lines) expect(line.points.length).toBeLessThanOrEqual(401);
  });

  it('spans the plot from the first to the last round, with later rewards higher up', () => {
    const [line] = polylines(learningCurveSvg(series, LABELS));
    const first = line!.points[0]!;
    const last = line!.points.at(-1)!;
    // The plot runs from x = 60 (left margin) to 900 − 210 = 690 (right margin holds the legend).
    expect(first[0]).toBe(60);
    expect(last[0]).toBe(690);
    // SVG y grows downwards: the rising curve ends above where it starts.
    expect(last[1]).toBeLessThan(first[1]);
  });

  it('labels y-ticks at round steps over the settled range', () => {
    // After the first 2 % (400) of rounds the curves lie in [0.4 − 0.2/√401, 0.41 − 0.2/√20000] ≈ [0.3900, 0.4086];
    // a fifth of that span is 0.0037, whose next 1-2-5 step is 0.005: ticks 0.390 … 0.410.
    const svg = learningCurveSvg(series, LABELS);
    const ticks = [...svg.matchAll(/text-anchor="end">([^<]*)</g)].map(([, label]) => label);
    expect(ticks).toEqual(['0.390', '0.395', '0.400', '0.405', '0.410']);
  });

  it('escapes text and stays finite for a flat series', () => {
    const svg = learningCurveSvg([{ label: 'a < b & "c"', color: 'red', dashed: false, values: [0.5, 0.5, 0.5] }], { ...LABELS, title: 'R&D' });
    expect(svg).toContain('a &lt; b &amp; &quot;c&quot;');
    expect(svg).toContain('R&amp;D');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it.each<[CurveSeries[], string]>([
    [[], 'a plot needs at least one series'],
    [[{ label: 'empty', color: 'red', dashed: false, values: [] }], 'series "empty" is empty'],
  ])('refuses %j', (input, message) => {
    expect(() => learningCurveSvg(input, LABELS)).toThrow(new RangeError(message));
  });
});

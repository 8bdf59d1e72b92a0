// The dashboard's script: reads the API, renders the report. Plain browser JavaScript, no build step.
'use strict';

const KEY_STORAGE = 'limelight.apiKey';
const COLORS = ['#1f6feb', '#d1242f', '#1a7f37', '#8250df', '#bc4c00', '#0598bc'];
let chart;

/** Every request of the page goes through here, so that credentials are added in one place. */
async function api(path) {
  const key = document.getElementById('api-key').value.trim();
  const headers = key ? { authorization: `Bearer ${key}` } : {};
  // The key goes in a header only: never in a URL (logs, history, Referer) nor in localStorage.
  const response = await fetch(path, { headers, credentials: 'omit', referrerPolicy: 'no-referrer' });
  const body = await response.json();
  if (response.status === 401 || response.status === 403) throw new Error('Enter an API key with the "read" scope for this surface.');
  if (!response.ok) throw new Error(body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${response.status}`);
  return body;
}

const el = (id) => document.getElementById(id);

function setStatus(text, isError = false) {
  el('status').textContent = text;
  el('status').className = isError ? 'error' : '';
}

function cell(row, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  row.appendChild(td);
  return td;
}

function fillTable(id, rows) {
  const body = el(id).querySelector('tbody');
  body.replaceChildren();
  for (const cells of rows) {
    const tr = document.createElement('tr');
    for (const c of cells) (Array.isArray(c) ? cell(tr, c[0], c[1]) : cell(tr, c));
    body.appendChild(tr);
  }
}

const number = (x, digits = 4) => (x === null || x === undefined ? '—' : x.toFixed(digits));
const percent = (x, digits = 1) => (x === null || x === undefined ? '—' : `${(100 * x).toFixed(digits)} %`);
const signedPercent = (x) => (x === null ? '—' : `${x > 0 ? '+' : ''}${(100 * x).toFixed(1)} %`);
const interval = (i, format = number) => (i.estimate === null ? '—' : `${format(i.estimate)} [${format(i.low)}, ${format(i.high)}]`);
const liftInterval = (i) => (i.estimate === null ? '—' : `${signedPercent(i.estimate)} [${signedPercent(i.low)}, ${signedPercent(i.high)}]`);
const pValue = (p) => (p === null ? '—' : p < 1e-4 ? p.toExponential(1) : p.toFixed(4));
const date = (iso) => (iso ? iso.slice(0, 10) : '—');

function liftClass(comparison) {
  if (!comparison || comparison.relativeLift.low === null) return undefined;
  if (comparison.relativeLift.low > 0) return 'good';
  if (comparison.relativeLift.high < 0) return 'bad';
  return undefined;
}

function renderComparison(report) {
  fillTable(
    'comparison',
    report.policyArms.map((arm) => [
      arm.policyArm + (arm.policyArm === report.controlPolicyArm ? ' (control)' : ''),
      arm.learner ?? 'not configured',
      arm.decisions.toLocaleString('en'),
      arm.rewarded.toLocaleString('en'),
      date(arm.firstDecisionAt),
      interval(arm.meanReward),
      interval(arm.confidenceSequence),
      [arm.comparison ? liftInterval(arm.comparison.relativeLift) : '—', liftClass(arm.comparison)],
      arm.comparison ? pValue(arm.comparison.pValue) : '—',
    ]),
  );
  const window = `${report.from ? date(report.from) : 'start'} – ${report.to ? date(report.to) : 'now'}`;
  el('summary').textContent = `${report.surface}, ${window}`;
  el('method').textContent =
    `p-values: ${report.test === 'two-proportion-z' ? 'two-proportion z-test' : "Welch's t-test"} against the control. ` +
    `The 95 % CI holds for one look at a sample size fixed in advance; the always-valid interval (${report.confidenceSequence.method}, ` +
    `tightest at ${report.confidenceSequence.optimizedFor.toLocaleString('en')} rewards) holds however often you look. Lift: delta method.`;
}

function renderChart(report) {
  const { days, policyArms } = report.timeSeries;
  const x = days.map((day) => Date.parse(`${day}T00:00:00Z`) / 1000);
  const data = [x, ...policyArms.map((arm) => arm.cumulativeMeanReward)];
  const options = {
    width: Math.min(960, document.body.clientWidth - 40),
    height: 320,
    scales: { x: { time: true } },
    axes: [{}, { label: 'cumulative mean reward', values: (_u, ticks) => ticks.map((t) => t.toFixed(3)) }],
    series: [
      {},
      ...policyArms.map((arm, i) => ({
        label: arm.policyArm,
        stroke: COLORS[i % COLORS.length],
        width: 2,
        points: { show: true, size: 6 },
        value: (_u, v) => number(v),
      })),
    ],
  };
  chart?.destroy();
  chart = new uPlot(options, data, el('chart'));
}

function renderSplit(report) {
  fillTable(
    'split',
    report.policyArms.map((arm) => [arm.policyArm, percent(arm.configuredShare), percent(arm.observedShare), arm.decisions.toLocaleString('en')]),
  );
  const srm = report.sampleRatioMismatch;
  const badge = el('srm');
  badge.className = `badge ${srm.flagged ? 'flag' : 'ok'}`;
  badge.textContent =
    srm.pValue === null
      ? 'no traffic'
      : `${srm.flagged ? 'sample-ratio mismatch' : 'split as configured'} (χ² = ${srm.statistic.toFixed(2)}, p = ${pValue(srm.pValue)})`;
  fillTable(
    'arms',
    report.policyArms.flatMap((arm) =>
      arm.arms.map((a) => [arm.policyArm, a.arm, a.decisions.toLocaleString('en'), percent(a.share), percent(a.meanReward)]),
    ),
  );
}

function renderLeaderboard(report) {
  const board = report.leaderboard;
  if (!board) {
    el('leaderboard-summary').textContent = 'no uniform control traffic to evaluate on';
    fillTable('leaderboard', []);
    return;
  }
  el('leaderboard-summary').textContent = `on ${board.rounds.toLocaleString('en')} rewarded decisions of ${board.policyArm} (${board.mode})`;
  const ranked = [...board.entries].sort((a, b) => (b.dr.estimate ?? -Infinity) - (a.dr.estimate ?? -Infinity));
  fillTable(
    'leaderboard',
    ranked.map((entry) => [entry.policy, entry.learner, interval(entry.snips), interval(entry.dr)]),
  );
}

function renderCampaigns(spend) {
  el('campaigns-day').textContent = `today = ${spend.day} (UTC)`;
  const against = (spent, budget) => `${spent.toLocaleString('en')} / ${budget === undefined ? '—' : `${budget.toLocaleString('en')} (${percent(spent / budget)})`}`;
  fillTable(
    'campaigns',
    spend.arms.map((arm) => [
      arm.arm,
      arm.paused ? 'paused' : 'live',
      arm.end ?? '—',
      against(arm.totalSpent, arm.totalBudget),
      against(arm.dailySpent, arm.dailyBudget),
      arm.pacingProbability.toFixed(3),
    ]),
  );
}

async function showReport() {
  const surface = el('surface').value;
  if (!surface) return;
  const params = new URLSearchParams();
  if (el('from').value) params.set('from', `${el('from').value}T00:00:00Z`);
  if (el('to').value) params.set('to', `${el('to').value}T00:00:00Z`);
  setStatus(`Loading ${surface}…`);
  try {
    const [report, spend] = await Promise.all([
      api(`/surfaces/${encodeURIComponent(surface)}/report?${params}`),
      api(`/surfaces/${encodeURIComponent(surface)}/campaigns`),
    ]);
    el('report').hidden = false;
    renderComparison(report);
    renderChart(report);
    renderSplit(report);
    renderLeaderboard(report);
    renderCampaigns(spend);
    setStatus(`Generated ${report.generatedAt}`);
  } catch (error) {
    setStatus(error.message, true);
  }
}

async function loadSurfaces() {
  try {
    const { surfaces } = await api('/surfaces');
    const select = el('surface');
    const previous = select.value;
    select.replaceChildren(...surfaces.map((s) => new Option(`${s.name} (${s.id})`, s.id)));
    if (surfaces.some((s) => s.id === previous)) select.value = previous;
    setStatus(`${surfaces.length} surfaces`);
  } catch (error) {
    setStatus(error.message, true);
  }
}

el('api-key').value = sessionStorage.getItem(KEY_STORAGE) ?? '';
el('api-key').addEventListener('change', () => {
  sessionStorage.setItem(KEY_STORAGE, el('api-key').value.trim());
  loadSurfaces();
});
el('surface').addEventListener('change', showReport);
el('controls').addEventListener('submit', (event) => {
  event.preventDefault();
  showReport();
});
loadSurfaces();

import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chartInput, type ChartRelease } from '../../../src/insight/chart-input.ts';
import { renderChartPng, renderChartSvg } from '../../../src/insight/chart.ts';
import type { GateSample } from '../../../src/insight/samples.ts';

const t = (minute: number) => new Date(Date.UTC(2026, 2, 3, 14, minute)).toISOString();

const release: ChartRelease = {
  service: 'checkout',
  version: 'v1.3.0-bad',
  environment: 'production',
  state: 'rolled_back',
  createdAt: t(0),
  endedAt: t(19),
  plan: {
    stages: [
      { kind: 'deploy', action: 'deploy', gates: [] },
      {
        kind: 'traffic',
        percent: 10,
        holdMs: 300_000,
        gates: ['error_rate', 'p99_latency'],
        action: 'traffic',
      },
      {
        kind: 'traffic',
        percent: 50,
        holdMs: 300_000,
        gates: ['error_rate', 'p99_latency'],
        action: 'traffic',
      },
    ],
    preflight: [],
    gates: {
      error_rate: {
        name: 'error_rate',
        max: 0.005,
        forMs: 120_000,
        everyMs: 30_000,
        noData: 'breach',
        source: 'q',
      },
      p99_latency: {
        name: 'p99_latency',
        max: 5,
        forMs: 600_000,
        everyMs: 30_000,
        noData: 'breach',
        source: 'q',
      },
    },
    approvals: { required: 1, approvers: [], operators: [], allowSelfApproval: false },
    onBreach: 'rollback',
    rollbackIncident: 'none',
    verifyRollback: false,
    actions: [],
    actionSummaries: {},
  },
  stages: [
    { status: 'done', startedAt: t(1), attempt: 1, holdSeq: 0 },
    { status: 'done', startedAt: t(2), attempt: 1, holdSeq: 0 },
    { status: 'failed', startedAt: t(8), attempt: 1, holdSeq: 0 },
  ],
};

/** A fixed sample set: steady at 10%, the error rate climbs past its threshold at 50%. */
export function fixedSamples(): GateSample[] {
  const samples: GateSample[] = [];
  for (let m = 2; m <= 18; m++) {
    const stageIndex = m < 8 ? 1 : 2;
    const traffic = m < 8 ? 10 : 50;
    const error = m < 11 ? 0.001 + (m % 3) * 0.0005 : 0.004 + (m - 10) * 0.0015;
    samples.push({
      gate: 'error_rate',
      at: t(m),
      value: error,
      verdict: error > 0.005 ? 'breach' : 'ok',
      stageIndex,
      traffic,
    });
    samples.push({
      gate: 'p99_latency',
      at: t(m),
      value: m === 9 ? null : 1.2 + (m % 4) * 0.3,
      verdict: m === 9 ? 'no_data' : 'ok',
      stageIndex,
      traffic,
    });
  }
  return samples;
}

function ihdr(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('canary chart', () => {
  it('draws each sampled gate with its threshold, the stage starts and the traffic', () => {
    const input = chartInput(release, fixedSamples(), 'Gate error_rate breached');
    expect(input.gates.map((g) => g.name)).toEqual(['error_rate', 'p99_latency']);
    expect(input.gates[0]?.max).toBe(0.005);
    expect(input.gates[0]?.readings.filter((r) => r.breach).length).toBe(8);
    expect(input.gates[1]?.gaps).toEqual([{ at: t(9) }]);
    expect(input.stages.map((s) => s.label)).toEqual(['deploy', '10%', '50%']);
    expect(input.traffic).toEqual([
      { at: t(2), percent: 10 },
      { at: t(8), percent: 50 },
      { at: t(18), percent: 50 },
    ]);
  });

  it('leaves out gates that were never sampled', () => {
    const input = chartInput(
      release,
      fixedSamples().filter((s) => s.gate === 'error_rate'),
      'x',
    );
    expect(input.gates.map((g) => g.name)).toEqual(['error_rate']);
  });

  it('renders an SVG with the labels a reader needs', async () => {
    const svg = await renderChartSvg(chartInput(release, fixedSamples(), 'Gate error_rate breached'));
    for (const text of [
      'checkout v1.3.0-bad',
      'max 0.005',
      'max 5',
      '50%',
      'traffic %',
      'error_rate',
      'p99_latency',
    ])
      expect(svg).toContain(text);
  });

  it('renders a PNG at twice the SVG size, from a fixed sample set', async () => {
    const input = chartInput(release, fixedSamples(), 'Gate error_rate breached');
    const svg = await renderChartSvg(input);
    const svgWidth = Number(/<svg[^>]* width="([\d.]+)"/.exec(svg)?.[1]);
    const svgHeight = Number(/<svg[^>]* height="([\d.]+)"/.exec(svg)?.[1]);
    const png = await renderChartPng(input);
    const { width, height } = ihdr(png);
    expect(width).toBe(Math.round(svgWidth * 2));
    expect(height).toBe(Math.round(svgHeight * 2));
    expect(width).toBeGreaterThan(1440);
    expect(height).toBeGreaterThan(2 * 2 * 170);
    if (process.env.RUNWAY_CHART_OUT) writeFileSync(process.env.RUNWAY_CHART_OUT, png);
  });
});

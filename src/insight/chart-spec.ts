// The canary chart as a Vega-Lite spec (pure data): one panel per gate — its readings (breaches in
// red), its threshold as a dashed red line, traffic % as a shaded step area on its own right-hand
// axis, and a grey line at each stage start with the stage's name.
import type { TopLevelSpec } from 'vega-lite';
import type { Field } from 'vega-lite/types_unstable/channeldef.js';
import type { LayerSpec, UnitSpec } from 'vega-lite/types_unstable/spec/index.js';
import type { ChartGate, ChartInput } from './chart-input.ts';

export const CHART_WIDTH = 720;
const PANEL_HEIGHT = 170;
const TIME = {
  field: 'at',
  type: 'temporal',
  title: null,
  scale: { type: 'utc' },
  // A utc scale formats its labels in UTC too.
  axis: { format: '%H:%M', labelOverlap: true },
} as const;

export function chartSpec(input: ChartInput): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: input.title,
      subtitle: input.subtitle,
      anchor: 'start',
      fontSize: 16,
      subtitleColor: '#555',
    },
    background: '#ffffff',
    padding: 16,
    config: { font: 'DejaVu Sans', view: { stroke: '#ddd' }, axis: { labelFontSize: 11, titleFontSize: 12 } },
    vconcat: input.gates.map((gate) => panel(gate, input)),
  };
}

function panel(gate: ChartGate, input: ChartInput): LayerSpec<Field> {
  const thresholds = [
    ...(gate.max !== undefined ? [{ value: gate.max, label: `max ${gate.max}` }] : []),
    ...(gate.min !== undefined ? [{ value: gate.min, label: `min ${gate.min}` }] : []),
  ];
  const readings: UnitSpec<Field>[] = [
    {
      data: { values: gate.readings },
      mark: { type: 'line', color: '#1f5fa8', strokeWidth: 2 },
      encoding: {
        x: TIME,
        y: { field: 'value', type: 'quantitative', title: gate.name, scale: { zero: false } },
      },
    },
    {
      data: { values: gate.readings },
      mark: { type: 'point', filled: true, size: 28 },
      encoding: {
        x: TIME,
        y: { field: 'value', type: 'quantitative' },
        color: {
          field: 'breach',
          type: 'nominal',
          scale: { domain: [false, true], range: ['#1f5fa8', '#d62728'] },
          legend: null,
        },
      },
    },
  ];
  if (thresholds.length > 0) {
    readings.push(
      {
        data: { values: thresholds },
        mark: { type: 'rule', color: '#d62728', strokeDash: [6, 4], strokeWidth: 1.5 },
        encoding: { y: { field: 'value', type: 'quantitative' } },
      },
      {
        data: { values: thresholds },
        mark: { type: 'text', color: '#d62728', align: 'left', dx: 4, dy: -7, fontSize: 11 },
        encoding: { y: { field: 'value', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } },
      },
    );
  }
  const layers: (UnitSpec<Field> | LayerSpec<Field>)[] = [
    {
      data: { values: input.traffic },
      mark: { type: 'area', interpolate: 'step-after', color: '#7fb069', opacity: 0.18 },
      encoding: {
        x: TIME,
        y: {
          field: 'percent',
          type: 'quantitative',
          title: 'traffic %',
          stack: null,
          scale: { domain: [0, 100] },
          axis: { orient: 'right', grid: false },
        },
      },
    },
    { layer: readings },
  ];
  if (input.stages.length > 0) {
    layers.push(
      {
        data: { values: input.stages },
        mark: { type: 'rule', color: '#888', strokeDash: [2, 3] },
        encoding: { x: TIME },
      },
      {
        data: { values: input.stages },
        mark: { type: 'text', color: '#444', align: 'left', baseline: 'top', dx: 3, y: 2, fontSize: 11 },
        encoding: { x: TIME, text: { field: 'label' } },
      },
    );
  }
  if (gate.gaps.length > 0) {
    layers.push({
      data: { values: gate.gaps },
      mark: { type: 'tick', color: '#999', thickness: 2, y: PANEL_HEIGHT - 4, size: 8 },
      encoding: { x: TIME },
    });
  }
  return {
    width: CHART_WIDTH,
    height: PANEL_HEIGHT,
    layer: layers,
    resolve: { scale: { y: 'independent' } },
  };
}

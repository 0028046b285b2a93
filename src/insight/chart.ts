// Renders a canary chart to PNG without a browser: Vega-Lite → Vega → SVG (vega's headless view),
// then SVG → PNG with resvg (prebuilt, no native build). CPU-bound for ~100 ms: run it in a job.
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { ChartInput } from './chart-input.ts';
import { chartSpec } from './chart-spec.ts';

export async function renderChartSvg(input: ChartInput): Promise<string> {
  const view = new View(parse(compile(chartSpec(input)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function renderChartPng(input: ChartInput): Promise<Buffer> {
  const svg = await renderChartSvg(input);
  const png = new Resvg(svg, {
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: 2 }, // sharp on high-density screens
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  }).render();
  return png.asPng();
}

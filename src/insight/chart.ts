// Renders a canary chart to PNG without a browser: Vega-Lite → Vega → SVG (vega's headless view),
// then SVG → PNG with resvg (prebuilt, no native build) on libuv's thread pool, so the rasterising
// does not hold the event loop. CPU-bound: it runs in the runway-insight worker, never in an ack.
import { existsSync } from 'node:fs';
import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile } from 'vega-lite';
import type { ChartInput } from './chart-input.ts';
import { chartSpec } from './chart-spec.ts';

/** DejaVu (Debian's fonts-dejavu-core) when present: loading one file is far cheaper than scanning every system font. */
const FONT_FILES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
];

let fontOptions: ResvgRenderOptions['font'] | undefined;

function fonts(): ResvgRenderOptions['font'] {
  if (!fontOptions) {
    const files = FONT_FILES.filter((f) => existsSync(f));
    fontOptions =
      files.length > 0
        ? {
            fontFiles: files,
            loadSystemFonts: false,
            defaultFontFamily: 'DejaVu Sans',
            sansSerifFamily: 'DejaVu Sans',
          }
        : { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' };
  }
  return fontOptions;
}

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
  const png = await renderAsync(svg, {
    background: '#ffffff',
    fitTo: { mode: 'zoom', value: 2 }, // sharp on high-density screens
    font: fonts(),
  });
  return png.asPng();
}

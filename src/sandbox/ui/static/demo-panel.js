// The sidebar's demo service panel: the stable/canary traffic split.
/* global document */
import { el } from './dom.js';

export function drawDemo(state) {
  const panel = document.getElementById('demo-panel');
  const d = state.demo;
  panel.replaceChildren();
  if (!d) return;
  const canaryWeight = d.canary ? d.weight : 0;
  const head = el('div', 'side-title', 'Demo service · traffic');
  const bar = el('div', 'split');
  const stable = el('div', 'split-stable');
  stable.style.width = `${100 - canaryWeight}%`;
  const canary = el('div', `split-canary${d.canary && /bad/.test(d.canary) ? ' split-bad' : ''}`);
  canary.style.width = `${canaryWeight}%`;
  bar.append(stable, canary);
  const legend = el('div', 'split-legend');
  const row = (cls, label, version, pct) => {
    const r = el('div', 'split-row');
    r.append(
      el('span', `dot ${cls}`),
      el('span', 'split-label', label),
      el('span', 'split-version', version),
      el('span', 'split-pct', `${pct}%`),
    );
    return r;
  };
  legend.append(row('dot-stable', 'stable', d.stable, 100 - canaryWeight));
  if (d.canary)
    legend.append(row(/bad/.test(d.canary) ? 'dot-bad' : 'dot-canary', 'canary', d.canary, canaryWeight));
  panel.append(head, bar, legend);
}

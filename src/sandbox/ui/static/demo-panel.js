// The sidebar's demo service panel: the stable/canary traffic split, the feature flag the demo runbook
// turns on, and the database schema its migration stage moves, so a walk back shows in one place.
/* global document */
import { el } from './dom.js';

function row(cls, label, value, figure) {
  const r = el('div', 'split-row');
  r.append(
    el('span', `dot ${cls}`),
    el('span', 'split-label', label),
    el('span', 'split-version', value),
    el('span', 'split-pct', figure),
  );
  return r;
}

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
  legend.append(row('dot-stable', 'stable', d.stable, `${100 - canaryWeight}%`));
  if (d.canary)
    legend.append(
      row(/bad/.test(d.canary) ? 'dot-bad' : 'dot-canary', 'canary', d.canary, `${canaryWeight}%`),
    );
  const extras = el('div', 'split-legend demo-extras');
  if (d.flag) {
    extras.dataset.flag = d.flag.on ? 'on' : 'off';
    extras.append(
      row(d.flag.on ? 'dot-on' : 'dot-off', 'flag', d.flag.key, d.flag.on ? `on ${d.flag.percent}%` : 'off'),
    );
  }
  if (d.database) {
    extras.dataset.schema = String(d.database.schema);
    extras.append(row('dot-schema', 'schema', d.database.by ?? 'initial', `#${d.database.schema}`));
  }
  panel.append(head, bar, legend);
  if (extras.childElementCount > 0) panel.append(extras);
}

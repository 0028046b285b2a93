// A draft → the text of a runway.yml: the yaml-language-server line first, every generated entry
// with a comment citing its source line, and every line nothing came from at the end as comments.
import { Document, isMap, isScalar, type Node, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { citeText, type Cite } from './cite.ts';
import type { Draft } from './draft.ts';
import type { DraftGate } from './gates.ts';
import type { FoundCommand } from './recognise/commands.ts';
import type { Threshold } from './recognise/threshold.ts';

export const SCHEMA_LINE = '# yaml-language-server: $schema=./runway.schema.json';
const ENV = ['services', '', 'environments', 'production'];

const ACTIONS = [
  { role: 'migrate', name: 'migrate', arg: '{{version}}' },
  { role: 'deploy', name: 'deploy', arg: '{{version}}' },
  { role: 'traffic', name: 'traffic', arg: '{{percent}}' },
  { role: 'rollback', name: 'rollback', arg: '{{previous_version}}' },
  { role: 'migrate_down', name: 'migrate_down', arg: '{{previous_version}}' },
] as const;

function placeholderOf(name: string): string {
  return `${name.toUpperCase()}_COMMAND`;
}

/** The actions a draft defines: deploy and rollback always, the others when the runbook has them. */
function actionNames(draft: Draft): (typeof ACTIONS)[number][] {
  return ACTIONS.filter(
    (a) =>
      a.role === 'deploy' ||
      a.role === 'rollback' ||
      (a.role === 'traffic'
        ? draft.stages.some((s) => s.traffic !== undefined)
        : (draft.commands[a.role]?.length ?? 0) > 0),
  );
}

function queryPlaceholder(gate: DraftGate): string {
  // An environment variable's name cannot start with a digit (a "5xx_rate" gate).
  return `${/^\d/.test(gate.name) ? 'GATE_' : ''}${gate.name.toUpperCase()}_QUERY`;
}

/** Every `${NAME}` the draft leaves to fill in. */
export function placeholders(draft: Draft): string[] {
  const names = actionNames(draft).map((a) => placeholderOf(a.name));
  if (draft.gates.length > 0) names.push('PROMETHEUS_URL', ...draft.gates.map(queryPlaceholder));
  return names;
}

function stagesOf(draft: Draft): unknown[] {
  const gateNames = draft.gates.map((g) => g.name);
  const gates = () => (gateNames.length > 0 ? { gates: [...gateNames] } : {});
  return [
    // SPEC 10: a migration the runbook reverses is undone by that reverse in the walk back.
    ...(draft.commands.migrate?.length
      ? [{ run: 'migrate', ...(draft.commands.migrate_down?.length ? { undo: 'migrate_down' } : {}) }]
      : []),
    'deploy',
    ...draft.stages.map((s) =>
      s.traffic !== undefined
        ? { traffic: s.traffic, ...(s.hold ? { hold: s.hold.duration } : {}), ...gates() }
        : { bake: s.bake, ...gates() },
    ),
  ];
}

function gateOf(gate: DraftGate): Record<string, unknown> {
  const t = gate.threshold;
  return {
    prometheus: { url: '${PROMETHEUS_URL}', query: `\${${queryPlaceholder(gate)}}` },
    [t.bound]: t.value,
    ...(t.for ? { for: t.for.duration } : {}),
  };
}

function unitNote(t: Threshold): string {
  const notes: Record<Threshold['unit'], string> = {
    ratio: 'as a ratio: the query returns 0-1',
    s: 'in seconds, as the runbook says: the query returns seconds',
    ms: 'in milliseconds, as the runbook says: the query returns milliseconds',
    count: 'a count, as the runbook says',
    MB: 'in MB, as the runbook says',
    GB: 'in GB, as the runbook says',
  };
  return ` ${t.written}: ${notes[t.unit]}`;
}

function suggestions(name: string, found: readonly FoundCommand[]): string {
  // One row per command; a command the runbook repeats lists every line it is on.
  const rows = new Map<string, FoundCommand[]>();
  for (const c of found) rows.set(c.command, [...(rows.get(c.command) ?? []), c]);
  return [
    ` ${name}: commands the runbook gives (suggestions, never run; write the one to run as argv items in place of \${${placeholderOf(name)}}):`,
    ...[...rows.values()].map((same) => {
      const first = same[0]!;
      const lines = same.map((c) => c.line).join(', ');
      return `   ${same.length > 1 ? 'lines' : 'line'} ${lines} (${first.heading}): ${first.command}`;
    }),
  ].join('\n');
}

function mapIn(map: YAMLMap, key: string): YAMLMap {
  const node = map.get(key, true);
  if (!isMap(node)) throw new Error(`the draft's ${key} is not a mapping`);
  return node;
}

function keyOf(map: YAMLMap, key: string): Scalar | undefined {
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  return pair && isScalar(pair.key) ? pair.key : undefined;
}

export function writeYaml(draft: Draft, source: string): string {
  const env = ENV.map((p) => (p === '' ? draft.service : p));
  const settings: Record<string, unknown> = {};
  if (draft.approvals) settings['approvals'] = { required: draft.approvals.required };
  if (draft.windows) {
    settings['windows'] = {
      timezone: draft.windows.timezone ?? 'UTC',
      allow: draft.windows.allow.map((w) => w.text),
    };
  }
  const items = draft.preflight.flatMap((g) => g.items);
  if (items.length > 0) {
    settings['preflight'] = items.map((i) => ({
      id: i.id,
      title: i.title,
      manual: true,
      ...(i.required ? {} : { required: false }),
    }));
  }
  const actions = actionNames(draft);
  settings['actions'] = Object.fromEntries(
    actions.map((a) => [a.name, { command: [`\${${placeholderOf(a.name)}}`, a.arg] }]),
  );
  if (draft.gates.length > 0)
    settings['gates'] = Object.fromEntries(draft.gates.map((g) => [g.name, gateOf(g)]));
  settings['stages'] = stagesOf(draft);
  settings['on_breach'] = 'rollback';

  const body: Record<string, unknown> = {
    version: 1,
    services: { [draft.service]: { environments: { production: settings } } },
  };
  if (draft.handoff.length > 0) body['handoff'] = { checklist: draft.handoff.map((h) => h.text) };
  const doc = new Document(body);
  const at = <T extends Node>(...path: (string | number)[]) => doc.getIn([...env, ...path], true) as T;

  doc.commentBefore = [
    SCHEMA_LINE.slice(1),
    ` A draft runbook imported from ${source} by \`npx runway import\`; each entry cites the line it came from.`,
    ` Before use: fill in (or set) ${placeholders(draft)
      .map((p) => `\${${p}}`)
      .join(', ')};`,
    ' review every entry against the runbook, then run `npx runway check`.',
    ' Editors: `npx runway schema > runway.schema.json` next to this file (see the README).',
  ].join('\n');

  if (draft.approvals) at<Scalar>('approvals', 'required').comment = citeText([draft.approvals.cite]);
  if (draft.windows) {
    at<Scalar>('windows', 'timezone').comment = draft.windows.timezone
      ? ' from the runbook'
      : ' the runbook names no zone';
    draft.windows.allow.forEach((w, i) => (at<Scalar>('windows', 'allow', i).comment = citeText([w.cite])));
  }
  if (items.length > 0) {
    let index = 0;
    for (const group of draft.preflight) {
      group.items.forEach((item, j) => {
        const node = at<YAMLMap>('preflight', index++);
        node.flow = true;
        node.comment = citeText([item.cite]);
        if (j === 0) {
          const optional = item.required ? '' : ' (after the go-ahead in the runbook: optional on the card)';
          node.commentBefore = ` ${group.group || 'Checklist'}${optional}`;
        }
      });
    }
  }
  const actionMap = at<YAMLMap>('actions');
  actions.forEach((a) => {
    mapIn(actionMap, a.name).flow = true;
    const found = draft.commands[a.role] ?? [];
    const key = keyOf(actionMap, a.name);
    if (key)
      key.commentBefore =
        found.length > 0 ? suggestions(a.name, found) : ` ${a.name}: the runbook gives no command here`;
  });
  if (draft.gates.length > 0) {
    const gateMap = at<YAMLMap>('gates');
    keyOf(at<YAMLMap>(), 'gates')!.commentBefore =
      ' Gates: a Prometheus query (or another source) to fill in for each threshold the runbook states';
    for (const gate of draft.gates) {
      const node = mapIn(gateMap, gate.name);
      keyOf(gateMap, gate.name)!.commentBefore = citeText([gate.cite]);
      mapIn(node, 'prometheus').flow = true;
      (node.get(gate.threshold.bound, true) as Scalar).comment = unitNote(gate.threshold);
    }
  }
  const stageList = at<YAMLSeq>('stages');
  stageList.items.forEach((item, i) => {
    const offset = stageList.items.length - draft.stages.length;
    const stage = draft.stages[i - offset];
    const node = item as Node;
    if (isMap(node)) node.flow = true;
    if (stage) node.comment = citeText(stage.cites);
  });
  if (draft.commands.migrate_down?.length && !draft.commands.migrate?.length) {
    keyOf(at<YAMLMap>(), 'on_breach')!.commentBefore =
      ' The runbook reverses a migration it does not run here: add `undo: migrate_down` to the stage that migrates';
  }
  if (draft.handoff.length > 0) {
    const list = doc.getIn(['handoff', 'checklist'], true) as YAMLSeq;
    list.items.forEach((item, i) => ((item as Scalar).comment = citeText([draft.handoff[i]!.cite])));
  }
  doc.comment = unplacedComment(draft.unplaced, source);
  return doc.toString({ lineWidth: 0 });
}

function unplacedComment(unplaced: readonly Cite[], source: string): string {
  const width = String(unplaced.at(-1)?.line ?? 0).length;
  return [
    ` ---- Not placed: the other lines of ${source}, kept for review (nothing is dropped) ----`,
    ...unplaced.map((c) => ` ${String(c.line).padStart(width)} | ${c.text}`),
  ].join('\n');
}

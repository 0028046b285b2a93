// A markdown runbook → a draft of runway.yml, as data: every entry with the source lines it came
// from, and every line nothing came from. Pure: text in, draft out (write-yaml.ts renders it).
import { cite, keep, type Cite } from './cite.ts';
import { draftGates, type DraftGate } from './gates.ts';
import { parseMarkdown, type Unit } from './markdown.ts';
import { findApprovals } from './recognise/approvals.ts';
import { checklistItem } from './recognise/checklist.ts';
import { findCommand, type CommandRole, type FoundCommand } from './recognise/commands.ts';
import { findWindows } from './recognise/window.ts';
import { draftBake, draftStages, type DraftStage } from './stages.ts';
import { clip, slug, uniqueNamer } from './text.ts';

export interface DraftItem {
  id: string;
  title: string;
  required: boolean;
  cite: Cite;
}

export interface Draft {
  service: string;
  approvals: { required: number; cite: Cite } | null;
  windows: { timezone: string | null; allow: { text: string; cite: Cite }[] } | null;
  /** Pre-flight items grouped by their headings, in source order. */
  preflight: { group: string; items: DraftItem[] }[];
  handoff: { text: string; cite: Cite }[];
  /** Commands found for each action, in source order (identical commands once). */
  commands: Partial<Record<CommandRole, FoundCommand[]>>;
  gates: DraftGate[];
  stages: DraftStage[];
  /** Non-blank source lines no entry came from, in order, whole. */
  unplaced: Cite[];
}

const TITLE_MAX = 150;

export function draftRunbook(markdown: string, options: { service?: string } = {}): Draft {
  const lines = markdown.split(/\r?\n/);
  const units = parseMarkdown(markdown);
  const used = new Set<number>();
  const use = <T extends { line: number }>(c: T): T => {
    used.add(c.line);
    return c;
  };

  const traffic = draftStages(units, lines);
  const { gates, partlyRead } = draftGates(units, lines);
  const bake = traffic.length === 0 && gates.length > 0 ? draftBake(units, lines) : null;
  const stages = bake ? [...traffic, bake] : traffic;
  for (const stage of stages) stage.cites.forEach(use);
  gates.forEach((g) => use(g.cite));

  const draft: Draft = {
    service: options.service ?? serviceName(units),
    approvals: approvals(units, lines),
    windows: windows(units, lines),
    ...checklists(units, lines),
    commands: commands(units),
    gates,
    stages,
    unplaced: [],
  };
  if (draft.approvals) use(draft.approvals.cite);
  draft.windows?.allow.forEach((w) => use(w.cite));
  draft.preflight.forEach((g) => g.items.forEach((item) => use(item.cite)));
  draft.handoff.forEach((h) => use(h.cite));
  Object.values(draft.commands).forEach((list) => list.forEach(use));
  draft.unplaced = lines
    .map((_, i) => i + 1)
    .filter((line) => (!used.has(line) || partlyRead.includes(line)) && !isMarkupOnly(lines[line - 1] ?? ''))
    .map((line) => keep(lines, line));
  return draft;
}

// Fences, rules and table separators carry no words of their own.
function isMarkupOnly(line: string): boolean {
  return /^\s*$|^\s*(```|~~~)|^\s*([-*_]\s*){3,}$|^\s*\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*$/.test(line);
}

function serviceName(units: readonly Unit[]): string {
  const title = units.find((u) => u.kind === 'heading' && u.headings.length === 0)?.text ?? '';
  const named = title.split(/\b(?:release|deployment|deploy|rollback|runbook|operations)\b|&/i)[0] ?? '';
  const project = units.find((u) => /^project\s*:/i.test(u.text))?.text.replace(/^project\s*:\s*/i, '');
  const name = slug(named.trim() || (project?.split(/\s+/)[0] ?? ''), 30);
  return name || 'app';
}

function approvals(units: readonly Unit[], lines: readonly string[]): Draft['approvals'] {
  let best: Draft['approvals'] = null;
  for (const unit of units) {
    const required = findApprovals(unit.text);
    if (required !== null && (!best || required > best.required))
      best = { required, cite: cite(lines, unit.line) };
  }
  return best;
}

function windows(units: readonly Unit[], lines: readonly string[]): Draft['windows'] {
  const found = units.flatMap((unit) => findWindows(unit.text).map((w) => ({ ...w, line: unit.line })));
  // `windows` has one zone: a window the runbook gives in another zone stays among the kept lines
  // rather than be read in the wrong one.
  const timezone = found.find((w) => w.timezone !== null)?.timezone ?? null;
  const allow: { text: string; cite: Cite }[] = [];
  for (const window of found) {
    if (window.timezone !== null && window.timezone !== timezone) continue;
    if (!allow.some((a) => a.text === window.allow))
      allow.push({ text: window.allow, cite: cite(lines, window.line) });
  }
  return allow.length > 0 ? { timezone, allow } : null;
}

function checklists(units: readonly Unit[], lines: readonly string[]): Pick<Draft, 'preflight' | 'handoff'> {
  const preflight: Draft['preflight'] = [];
  const handoff: Draft['handoff'] = [];
  const unique = uniqueNamer();
  for (const unit of units) {
    const item = checklistItem(unit);
    if (!item) continue;
    if (item.place === 'handoff') {
      handoff.push({ text: item.text, cite: cite(lines, item.line) });
      continue;
    }
    // A label before a colon names the item best ("Dependency Audit: npm audit …").
    const label = /^([^:]{3,40}):/.exec(item.text)?.[1] ?? item.text;
    const id = unique(slug(label, 40) || 'item');
    const entry = {
      id,
      title: clip(item.text, TITLE_MAX),
      required: item.place === 'preflight',
      cite: cite(lines, item.line),
    };
    const last = preflight.at(-1);
    if (last && last.group === item.group) last.items.push(entry);
    else preflight.push({ group: item.group, items: [entry] });
  }
  return { preflight, handoff };
}

function commands(units: readonly Unit[]): Draft['commands'] {
  const found: Draft['commands'] = {};
  for (const unit of units) {
    const command = findCommand(unit);
    if (!command) continue;
    (found[command.role] ??= []).push(command);
  }
  return found;
}

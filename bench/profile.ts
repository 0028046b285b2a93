// Reads a V8 .cpuprofile (node --cpu-prof) and says where the CPU went: by package or source area
// (ioredis, bullmq, axios, src/engine, …) and by function, self time only.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileSummary {
  seconds: number;
  /** Share of samples where the thread was idle; the other shares are of the busy samples. */
  idle: number;
  byArea: [string, number][];
  byFunction: [string, number][];
  /** Time spent in (and under) the named functions, as shares of busy time; a recursive call counts once. */
  inclusive: [string, number][];
}

/** Functions whose time with their callees says what a sample costs, step by step. */
export const STEPS = [
  'sampleOne',
  'sampleGate',
  'apply',
  'save',
  'flush',
  'dispatch',
  'processJob',
  'refreshCard',
  'tick',
  'claim',
  'get',
];

/** Where a frame's code lives: a package under node_modules, a folder of this repo, or a V8/Node bucket. */
function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').split('/')[0]!;
  const repo = /\/(src\/[^/]+|jobs|bench)\//.exec(url)?.[1];
  return repo ?? url;
}

/** Only the samples of the profile's last `lastSeconds` (the measured window, not the start-up). */
function keepLast(profile: CpuProfile, lastSeconds: number): void {
  const { samples = [], timeDeltas = [] } = profile;
  if (samples.length === 0 || samples.length !== timeDeltas.length) return;
  const hits = new Map<number, number>();
  let t = profile.startTime;
  const from = profile.endTime - lastSeconds * 1e6;
  for (let i = 0; i < samples.length; i++) {
    t += timeDeltas[i]!;
    if (t >= from) hits.set(samples[i]!, (hits.get(samples[i]!) ?? 0) + 1);
  }
  for (const node of profile.nodes) node.hitCount = hits.get(node.id) ?? 0;
  profile.startTime = Math.max(profile.startTime, from);
}

export function summarizeProfile(
  path: string,
  top = 12,
  steps: string[] = STEPS,
  lastSeconds?: number,
): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  if (lastSeconds !== undefined) keepLast(profile, lastSeconds);
  const all = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0) || 1;
  const idleHits = profile.nodes
    .filter((node) => node.callFrame.functionName === '(idle)')
    .reduce((n, node) => n + (node.hitCount ?? 0), 0);
  const total = all - idleHits || 1;
  const seconds = (profile.endTime - profile.startTime) / 1e6;
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    if (hits === 0 || functionName === '(idle)') continue;
    const area = areaOf(url, functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
    const where = url ? `${url.replace(/^.*\/(node_modules|work\/main)\//, '')}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
  }
  const share = (m: Map<string, number>): [string, number][] =>
    [...m]
      .map(([k, v]) => [k, v / total] as [string, number])
      .sort((a, b) => b[1] - a[1])
      .slice(0, top);
  return {
    seconds,
    idle: idleHits / all,
    byArea: share(byArea),
    byFunction: share(byFunction),
    inclusive: inclusiveShares(profile.nodes, steps, total),
  };
}

function inclusiveShares(nodes: ProfileNode[], names: string[], total: number): [string, number][] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const childIds = new Set(nodes.flatMap((n) => n.children ?? []));
  const sums = new Map<string, number>(names.map((n) => [n, 0]));
  const subtree = (node: ProfileNode): number =>
    (node.hitCount ?? 0) + (node.children ?? []).reduce((n, id) => n + subtree(byId.get(id)!), 0);
  // Walk from the roots, counting a named function's subtree at its outermost call only.
  const walk = (node: ProfileNode, open: Set<string>): void => {
    const name = node.callFrame.functionName;
    const counted = sums.has(name) && !open.has(name);
    if (counted) sums.set(name, sums.get(name)! + subtree(node));
    const next = counted ? new Set([...open, name]) : open;
    for (const id of node.children ?? []) walk(byId.get(id)!, next);
  };
  for (const root of nodes.filter((n) => !childIds.has(n.id))) walk(root, new Set());
  return [...sums].map(([k, v]) => [k, v / total] as [string, number]);
}

// `npx runway check [file]`: every problem with its path and exit 1, or a one-screen summary and exit 0.
import { readFileSync } from 'node:fs';
import { scrubSecrets } from '../log.ts';
import { describeApprovals, describeStages } from '../config/describe.ts';
import { formatDuration } from '../config/duration.ts';
import {
  listTargets,
  loadRunbook,
  resolveEnvironment,
  toPlan,
  type Env,
  type LoadResult,
  type Runbook,
} from '../config/runbook.ts';
import type { GatePolicy } from '../release/types.ts';
import { describeWindows } from '../config/windows.ts';

export interface CheckResult {
  exitCode: 0 | 1;
  output: string;
}

/** Read and load a runbook file; a file that cannot be read is one problem saying so. */
export function readRunbookFile(path: string, env: Env): LoadResult {
  const file = readText(path);
  return 'error' in file ? { ok: false, problems: [file.error] } : loadRunbook(file.text, env);
}

export function checkCommand(path: string, env: Env): CheckResult {
  const file = readText(path);
  if ('error' in file) return { exitCode: 1, output: `${file.error}\n` };
  const result = loadRunbook(file.text, env);
  if (!result.ok) {
    const count = result.problems.length === 1 ? '1 problem' : `${result.problems.length} problems`;
    return { exitCode: 1, output: [`${path}: ${count}`, ...result.problems].join('\n') + '\n' };
  }
  return { exitCode: 0, output: summarize(path, result.runbook, result.secrets) };
}

function readText(path: string): { text: string } | { error: string } {
  try {
    return { text: readFileSync(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return {
        error:
          `${path}: no such file. Pass the runbook's path (npx runway check path/to/runway.yml), ` +
          'set RUNWAY_CONFIG, or start from runway.example.yml',
      };
    }
    return { error: `${path}: cannot read it (${code ?? (error as Error).message})` };
  }
}

function summarize(path: string, runbook: Runbook, secrets: string[]): string {
  const targets = listTargets(runbook);
  const services = Object.keys(runbook.services);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = [
    `${path} is valid: ${plural(services.length, 'service')}, ${plural(targets.length, 'environment')}.`,
  ];
  for (const service of services) {
    lines.push('', service);
    for (const target of targets.filter((t) => t.service === service)) {
      const resolved = resolveEnvironment(runbook, service, target.environment);
      const plan = toPlan(resolved, secrets);
      const channels = Object.entries(resolved.channels).map(([k, v]) => `${k.replace('_', '-')} ${v}`);
      const preflight = plan.preflight.map(
        (p) => `${p.id}${p.manual ? ' (manual)' : ''}${p.required ? '' : ' (optional)'}`,
      );
      const incident =
        plan.rollbackIncident === 'none' ? '' : `, declare a ${plan.rollbackIncident} incident`;
      const verify = plan.verifyRollback ? ', verify with smoke' : '';
      const onBreach = plan.onBreach === 'pause' ? 'pause' : `rollback${verify}${incident}`;
      lines.push(
        `  ${target.environment}`,
        row('stages', describeStages(plan.stages)),
        row('gates', Object.values(plan.gates).map(describeGate).join('; ') || 'none'),
        row('pre-flight', preflight.join(', ') || 'none'),
        row('approvals', describeApprovals(plan.approvals)),
        row('windows', describeWindows(resolved.windows)),
        row('on breach', onBreach),
        row('channels', channels.join(', ') || 'none (replies where the command was typed)'),
        row('actions', plan.actions.join(', ')),
      );
      if (resolved.promotion) {
        const { from, soakMs } = resolved.promotion;
        lines.push(
          row('promotion', `from ${from}${soakMs > 0 ? ` after a soak of ${formatDuration(soakMs)}` : ''}`),
        );
      }
    }
  }
  if (runbook.handoff?.schedule) {
    lines.push('', `handoff: ${runbook.handoff.schedule} (${runbook.handoff.timezone})`);
  }
  // Channels and names may come from ${ENV} too: nothing read from the environment is printed.
  return scrubSecrets(lines.join('\n') + '\n', secrets);
}

function row(label: string, value: string): string {
  return `    ${label.padEnd(11)}${value}`;
}

function describeGate(gate: GatePolicy): string {
  const bounds = [
    gate.min !== undefined ? `min ${gate.min}` : '',
    gate.max !== undefined ? `max ${gate.max}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const sustained = gate.forMs > 0 ? ` for ${formatDuration(gate.forMs)}` : '';
  return `${gate.name} ${bounds}${sustained}`;
}

// Shell commands under deploy, rollback and migration headings: suggestions for the deploy,
// rollback, migrate and migrate_down actions (never run: the draft only quotes them).
import type { Unit } from '../markdown.ts';
import { commandTraffic } from './percent.ts';

export type CommandRole = 'deploy' | 'rollback' | 'migrate' | 'migrate_down' | 'traffic';

export interface FoundCommand {
  role: CommandRole;
  command: string;
  line: number;
  /** The heading it sat under. */
  heading: string;
}

const SHELL_LANGS = /^(|bash|sh|shell|zsh|console|sql|powershell)$/i;
const ROLLBACK = /roll[- ]?back|revert|restore|undo|downgrade/i;
const MIGRATION = /migrat|database|schema|\bdb\b/i;
const DEPLOY = /deploy|release|roll[- ]?out|canary|cut[- ]?over|ramp|promot|upgrade/i;
// Staging and local set-up are not what the production draft runs.
const ELSEWHERE = /staging|local|development|setup|set-up|troubleshoot|issue|disaster|recovery/i;

function roleOf(heading: string): CommandRole | null {
  const rollback = ROLLBACK.test(heading);
  const migration = MIGRATION.test(heading);
  if (rollback && migration) return 'migrate_down';
  if (rollback) return 'rollback';
  if (migration) return 'migrate';
  if (DEPLOY.test(heading)) return 'deploy';
  return null;
}

export function findCommand(unit: Unit): FoundCommand | null {
  if (unit.kind !== 'code' || !SHELL_LANGS.test(unit.lang ?? '')) return null;
  const command = unit.text.replace(/\s+#.*$/, '').trim();
  // Comments, continuation lines and drawings are not commands.
  if (!/^[A-Za-z0-9./$_\\]/.test(command) || /^(#|--|\/\/)/.test(command)) return null;
  const headings = [...unit.headings].reverse();
  if (headings.some((h) => ELSEWHERE.test(h.text))) return null;
  for (const heading of headings) {
    const role = roleOf(heading.text);
    if (!role) continue;
    const traffic = role === 'deploy' && commandTraffic(command) !== null;
    return { role: traffic ? 'traffic' : role, command, line: unit.line, heading: heading.text };
  }
  return null;
}

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

const SHELL_LANGS = /^(|bash|sh|shell|zsh|console|powershell)$/i;
const ROLLBACK = /roll[- ]?back|revert|restore|undo|downgrade/i;
const MIGRATION = /migrat|database|schema|\bdb\b/i;
const DEPLOY = /deploy|release|roll[- ]?out|canary|cut[- ]?over|ramp|promot|upgrade/i;
// Checks after the deploy, feature flags, staging and local set-up are not these actions' commands.
const NOT_AN_ACTION = /post[- ]?deploy|smoke|verif|validat|monitor|feature|flag|health/i;
const ELSEWHERE =
  /staging|local|development|setup|set-up|troubleshoot|issue|disaster|recovery|corruption|emergency procedures|security incident/i;
const NOT_A_COMMAND = /^(done|fi|esac|eof|then|do|else|end)\b|^[\w-]+:\s/i;

/** What a command is for, from its lead-in and headings: a rollback or migration anywhere above it counts. */
function roleOf(lead: string, headings: readonly string[]): CommandRole | null {
  const texts = [lead, ...headings];
  const rollback = texts.some((t) => ROLLBACK.test(t));
  const migration = texts.some((t) => MIGRATION.test(t));
  if (rollback) return migration ? 'migrate_down' : 'rollback';
  if (texts.some((t) => NOT_AN_ACTION.test(t))) return null;
  if (migration) return 'migrate';
  return texts.some((t) => DEPLOY.test(t)) ? 'deploy' : null;
}

export function findCommand(unit: Unit): FoundCommand | null {
  const sql = /^sql$/i.test(unit.lang ?? '');
  if (unit.kind !== 'code' || !(SHELL_LANGS.test(unit.lang ?? '') || sql)) return null;
  const command = withoutComment(unit.text).trim();
  // Comments, continuation lines and drawings are not commands.
  if (!/^[A-Za-z0-9./$_\\]/.test(command) || NOT_A_COMMAND.test(command)) return null;
  if (unit.headings.some((h) => ELSEWHERE.test(h.text))) return null;
  const role = roleOf(
    unit.lead ?? '',
    [...unit.headings].reverse().map((h) => h.text),
  );
  // SQL is a migration's language, not a deploy's.
  if (!role || (sql && role !== 'migrate' && role !== 'migrate_down')) return null;
  const traffic = role === 'deploy' && commandTraffic(command) !== null;
  return {
    role: traffic ? 'traffic' : role,
    command,
    line: unit.line,
    heading: unit.headings.at(-1)?.text ?? '',
  };
}

/** A shell line without its trailing `# comment`; a `#` inside quotes ("a # b", 'x#y') is kept. */
export function withoutComment(line: string): string {
  const at = commentStart(line);
  return at < 0 ? line : line.slice(0, at).trimEnd();
}

/** A shell line's trailing comment without its `#` (null when none): `deploy # 10% first` → `10% first`. */
export function commentOf(line: string): string | null {
  const at = commentStart(line);
  return at < 0 ? null : line.slice(at + 1).trim();
}

/** Where a shell line's comment starts: a `#` at the start or after a space, outside quotes; or -1. */
function commentStart(line: string): number {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return i;
  }
  return -1;
}

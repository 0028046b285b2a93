// `npx runway import <runbook.md> [-o runway.yml] [--force] [--service name]`: a markdown runbook →
// a draft runway.yml, on stdout or into a file (never over an existing one without --force).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { importRunbook } from '../import/import.ts';
import { nameSchema } from '../config/schema.ts';

export const IMPORT_USAGE = 'usage: runway import <runbook.md> [-o runway.yml] [--force] [--service <name>]';

export interface ImportResult {
  exitCode: 0 | 1;
  stdout: string;
  stderr: string;
}

interface ImportArgs {
  input: string;
  output?: string;
  force: boolean;
  service?: string;
}

export function parseImportArgs(args: readonly string[]): ImportArgs | string {
  let input: string | undefined;
  let output: string | undefined;
  let service: string | undefined;
  let force = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--force' || arg === '-f') force = true;
    else if (arg === '-o' || arg === '--output' || arg === '--service') {
      const value = args[++i];
      if (!value) return `${arg} needs a value`;
      if (arg === '--service') service = value;
      else output = value;
    } else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else if (input === undefined) input = arg;
    else return `one runbook at a time (got ${input} and ${arg})`;
  }
  if (!input) return 'which runbook? give the markdown file to read';
  if (service !== undefined && !nameSchema.safeParse(service).success)
    return `--service "${service}": expected a name of letters, digits, - and _`;
  return { input, force, ...(output ? { output } : {}), ...(service ? { service } : {}) };
}

export function importCommand(args: readonly string[]): ImportResult {
  const parsed = parseImportArgs(args);
  if (typeof parsed === 'string') return { exitCode: 1, stdout: '', stderr: `${parsed}\n${IMPORT_USAGE}\n` };
  let markdown: string;
  try {
    markdown = readFileSync(parsed.input, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return { exitCode: 1, stdout: '', stderr: `${parsed.input}: cannot read it (${code})\n` };
  }
  const draft = importRunbook(markdown, {
    source: basename(parsed.input),
    ...(parsed.service ? { service: parsed.service } : {}),
  });
  if (!parsed.output) return { exitCode: 0, stdout: draft, stderr: '' };
  if (existsSync(parsed.output) && !parsed.force) {
    return {
      exitCode: 1,
      stdout: '',
      stderr: `${parsed.output} exists; nothing written. Pass --force to replace it, or -o another file.\n`,
    };
  }
  writeFileSync(parsed.output, draft);
  return {
    exitCode: 0,
    stdout: '',
    stderr:
      `wrote ${parsed.output}: fill in its \${…} placeholders, review it, then npx runway check ${parsed.output}\n` +
      'editors: npx runway schema > runway.schema.json (beside it)\n',
  };
}

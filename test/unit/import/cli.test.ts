// `runway import` and `runway schema` as commands: stdout or -o, never over a file without --force.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCommand, parseImportArgs } from '../../../src/cli/import.ts';
import { SCHEMA_LINE } from '../../../src/import/import.ts';

const dir = mkdtempSync(join(tmpdir(), 'runway-import-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const RUNBOOK = 'test/fixtures/runbooks/000.md';

describe('runway import', () => {
  it('prints the draft on stdout without -o', () => {
    const result = importCommand([RUNBOOK]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe(SCHEMA_LINE);
    expect(result.stdout).toContain('imported from 000.md');
  });

  it('writes -o, and refuses to overwrite it without --force', () => {
    const out = join(dir, 'runway.yml');
    expect(importCommand([RUNBOOK, '-o', out])).toMatchObject({ exitCode: 0, stdout: '' });
    const first = readFileSync(out, 'utf8');
    expect(first.startsWith(SCHEMA_LINE)).toBe(true);

    writeFileSync(out, 'version: 1 # hand-edited\n');
    const refused = importCommand([RUNBOOK, '-o', out]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('exists; nothing written. Pass --force');
    expect(readFileSync(out, 'utf8')).toBe('version: 1 # hand-edited\n');

    expect(importCommand([RUNBOOK, '-o', out, '--force']).exitCode).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(first);
  });

  it('names the service as told', () => {
    expect(importCommand([RUNBOOK, '--service', 'billing']).stdout).toContain('\n  billing:\n');
  });

  it.each([
    [[], 'which runbook?'],
    [[RUNBOOK, '-o'], '-o needs a value'],
    [[RUNBOOK, '--shout'], 'unknown option --shout'],
    [[RUNBOOK, 'other.md'], 'one runbook at a time'],
    [[RUNBOOK, '--service', 'bad name'], 'expected a name'],
  ])('refuses %j with a usage line', (args, message) => {
    expect(parseImportArgs(args)).toContain(message);
    const result = importCommand(args);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('usage: runway import <runbook.md>');
  });

  it('says when the runbook cannot be read, and writes nothing', () => {
    const out = join(dir, 'never.yml');
    const result = importCommand([join(dir, 'missing.md'), '-o', out]);
    expect(result).toMatchObject({ exitCode: 1, stdout: '' });
    expect(result.stderr).toContain('missing.md: cannot read it (ENOENT)');
    expect(existsSync(out)).toBe(false);
  });
});

describe('the runway command', () => {
  const runway = (...args: string[]) =>
    execFileSync('node', ['bin/runway.js', ...args], { encoding: 'utf8', env: { PATH: process.env.PATH } });

  // Two node + tsx start-ups: seconds on a quiet machine, far more on a loaded CI runner.
  it('runs import and schema with nothing set in the environment', { timeout: 180_000 }, () => {
    expect(runway('import', RUNBOOK).split('\n')[0]).toBe(SCHEMA_LINE);
    const schema = JSON.parse(runway('schema')) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['version', 'defaults', 'channels', 'services', 'handoff', 'incidents']),
    );
  });
});

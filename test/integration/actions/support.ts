// Shared bits for the action tests: a context, parsed configs (so schema defaults apply), process checks.
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { actionSchema, gateSchema, type ActionConfig, type GateConfig } from '../../../src/config/schema.ts';
import type { TemplateVars } from '../../../src/config/template.ts';
import type { ActionContext } from '../../../src/actions/types.ts';

export const vars: TemplateVars = {
  version: 'v1.2.3',
  previous_version: 'v1.2.2',
  service: 'checkout',
  environment: 'production',
  percent: 10,
  release_id: 'rel_42',
  requester: 'U123',
};

export function context(overrides: Partial<ActionContext> = {}): ActionContext {
  return {
    vars,
    idempotencyKey: 'rel_42:deploy:1',
    signal: new AbortController().signal,
    log: pino({ level: 'silent' }),
    ...overrides,
  };
}

export const action = (raw: unknown): ActionConfig => actionSchema.parse(raw);
export const gate = (raw: unknown): GateConfig => gateSchema.parse(raw);

export const fixture = (name: string): string => new URL(`../../fixtures/${name}`, import.meta.url).pathname;

/** Alive and not a zombie (a killed process whose parent has not reaped it is dead for our purpose). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

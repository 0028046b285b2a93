// Actions that leave a trace: test/fixtures/record-action.mjs appends "<words…> key=<idempotency key>"
// to a log when it finishes (and to a starts log when it begins), so a crash test can tell an action
// that ran once from one that ran twice.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const RECORD = resolve('test/fixtures/record-action.mjs');

export interface RecordedActions {
  dir: string;
  /** The starts log, for RECORD_STARTS in an action's env. */
  startsFile: string;
  /** A JSON argv for a runbook's `command:` that records these words. */
  cmd(...words: string[]): string;
  /** Finished actions, one line each: "deploy v2.0.0 key=…". */
  done(): string[];
  /** Started actions (with RECORD_STARTS set), one line each. */
  starts(): string[];
}

export function recordedActions(name: string): RecordedActions {
  const dir = mkdtempSync(join(tmpdir(), `runway-${name}-`));
  const doneFile = join(dir, 'done.log');
  const startsFile = join(dir, 'starts.log');
  const read = (f: string) =>
    existsSync(f) ? readFileSync(f, 'utf8').trim().split('\n').filter(Boolean) : [];
  return {
    dir,
    startsFile,
    cmd: (...words) => JSON.stringify(['node', RECORD, doneFile, ...words]),
    done: () => read(doneFile),
    starts: () => read(startsFile),
  };
}

/** The lines without their idempotency keys: "deploy v2.0.0". */
export function withoutKeys(lines: string[]): string[] {
  return lines.map((l) => l.split(' key=')[0] ?? l);
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const RELEASE_DIR = join(import.meta.dirname, '../../../src/release');

/** Slack markup: emoji codes (`:white_check_mark:`), user mentions (`<@U…>`) and specials (`<!here>`). */
const MARKUP = [/:[a-z0-9_+-]+:/, /<@/, /<!/];

function markupIn(text: string): string[] {
  return text
    .split('\n')
    .map((line, i) => ({ line, n: i + 1 }))
    .filter(({ line }) => MARKUP.some((re) => re.test(line)))
    .map(({ line, n }) => `${n}: ${line.trim()}`);
}

describe('the release machine speaks no Slack', () => {
  const files = readdirSync(RELEASE_DIR).filter((f) => f.endsWith('.ts'));

  it('has files to check', () => {
    expect(files).toContain('machine.ts');
  });

  it.each(files)('%s holds no emoji codes, <@ mentions or <! specials', (file) => {
    expect(markupIn(readFileSync(join(RELEASE_DIR, file), 'utf8'))).toEqual([]);
  });

  it('the check sees each kind of markup', () => {
    expect(markupIn("post(':tada: done')")).toHaveLength(1);
    expect(markupIn('`by <@${id}>`')).toHaveLength(1);
    expect(markupIn("'<!here> look'")).toHaveLength(1);
    expect(markupIn('`preflight:${item.id}` and { a: 1 }')).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { App } from '@slack/bolt';
import { parse } from 'yaml';
import { register, SLASH_COMMANDS } from '../../../commands/index.ts';
import type { CommandDeps } from '../../../commands/deps.ts';
import { memoryLogger } from '../../helpers/runway.ts';

/** Records what register() asks of the Bolt app. */
function recordingApp(): { app: App; commands: string[]; views: unknown[] } {
  const commands: string[] = [];
  const views: unknown[] = [];
  const app = {
    command: (name: string) => void commands.push(name),
    action: () => undefined,
    view: (id: unknown) => void views.push(id),
    event: () => undefined,
  };
  return { app: app as unknown as App, commands, views };
}

describe('slash commands', () => {
  it('registers exactly the commands manifest.yml declares', () => {
    const manifest = parse(readFileSync('manifest.yml', 'utf8')) as {
      features: { slash_commands: { command: string }[] };
    };
    const declared = manifest.features.slash_commands.map((c) => c.command).sort();
    const { app, commands, views } = recordingApp();
    register(app, { log: memoryLogger().log } as unknown as CommandDeps);
    expect([...commands].sort()).toEqual(declared);
    expect([...SLASH_COMMANDS].sort()).toEqual(declared);
    expect([...views].sort()).toEqual([
      'incident_resolve_modal',
      'incident_update_modal',
      'release_reason_modal',
    ]);
  });
});

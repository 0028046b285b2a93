// The composer's line, read as Slack's client reads it: "/release start shop v1.3.0" is the command
// /release with the text "start shop v1.3.0"; a line not starting with "/" is a message.

/** The commands the Runway app declares in its manifest. */
export const SLASH_COMMANDS = ['/release', '/incident', '/handoff'] as const;
export type SlashCommand = (typeof SLASH_COMMANDS)[number];

export type ComposerLine =
  | { kind: 'command'; command: SlashCommand; text: string }
  | { kind: 'unknown_command'; command: string }
  | { kind: 'message'; text: string }
  | { kind: 'empty' };

const isKnown = (command: string): command is SlashCommand =>
  (SLASH_COMMANDS as readonly string[]).includes(command);

export function parseComposerLine(line: string): ComposerLine {
  const trimmed = line.trim();
  if (!trimmed) return { kind: 'empty' };
  if (!trimmed.startsWith('/')) return { kind: 'message', text: trimmed };
  // Slack sends the text after the command with the separating whitespace removed, case kept.
  const match = /^(\/\S*)(?:\s+([\s\S]*))?$/.exec(trimmed);
  const command = (match?.[1] ?? trimmed).toLowerCase();
  if (!isKnown(command)) return { kind: 'unknown_command', command: match?.[1] ?? trimmed };
  return { kind: 'command', command, text: match?.[2] ?? '' };
}

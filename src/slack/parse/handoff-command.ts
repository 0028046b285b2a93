// `/handoff` text → post now, preview (only the caller sees it) or help. Pure.
import { z } from 'zod';
import type { Parsed } from './command-args.ts';

export const handoffCommandSchema = z.object({ verb: z.enum(['post', 'preview', 'help']) });
export type HandoffCommand = z.infer<typeof handoffCommandSchema>;

export function parseHandoffCommand(text: string): Parsed<HandoffCommand> {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { ok: true, command: { verb: 'post' } };
  const [word] = words;
  if (words.length === 1 && (word === 'preview' || word === 'help'))
    return { ok: true, command: { verb: word } };
  const shown = text.trim().length > 40 ? `${text.trim().slice(0, 40)}…` : text.trim();
  return { ok: false, error: `"${shown}" is not a /handoff form; use /handoff or /handoff preview.` };
}

// `/incident …` text → a typed command, or a sentence saying what is wrong. Pure. Titles, updates and
// summaries are free text (quotes and all): they only ever become text on a card or in the audit log.
import { z } from 'zod';
import { unknownVerb, type Parsed } from './release-command.ts';

export const MAX_TITLE = 150;
export const MAX_UPDATE = 2000;
export const MAX_SUMMARY = 2000;

export const incidentCommandSchema = z.discriminatedUnion('verb', [
  z.object({
    verb: z.literal('declare'),
    severity: z.enum(['sev1', 'sev2', 'sev3', 'sev4']),
    title: z.string().min(1).max(MAX_TITLE),
  }),
  z.object({ verb: z.literal('update'), text: z.string().min(1).max(MAX_UPDATE) }),
  z.object({ verb: z.literal('resolve'), summary: z.string().min(1).max(MAX_SUMMARY).optional() }),
  z.object({ verb: z.literal('list') }),
  z.object({ verb: z.literal('help') }),
]);
export type IncidentCommand = z.infer<typeof incidentCommandSchema>;

const VERBS = ['declare', 'update', 'resolve', 'list', 'help'];

export function parseIncidentCommand(text: string): Parsed<IncidentCommand> {
  const input = unescapeSlack(text).trim();
  const [verbWord = '', ...restWords] = input.split(/\s+/);
  const rest = input.slice(verbWord.length).trim();
  const verb = verbWord.toLowerCase() || 'help';
  switch (verb) {
    case 'declare': {
      const [sevWord = ''] = restWords;
      if (!sevWord)
        return fail('Say the severity and a title: /incident declare sev2 Checkout errors after v1.2.3.');
      const severity = sevWord.toLowerCase().replace(/^sev-/, 'sev');
      if (!/^sev[1-4]$/.test(severity)) {
        return fail(
          `"${cut(sevWord)}" is not a severity; use sev1, sev2, sev3 or sev4 (/incident help shows what each means).`,
        );
      }
      const title = collapse(rest.slice(sevWord.length));
      if (!title)
        return fail('An incident needs a title: /incident declare sev2 Checkout errors after v1.2.3.');
      if (title.length > MAX_TITLE)
        return fail(
          `Keep the title within ${MAX_TITLE} characters (it has ${title.length}); details go in updates.`,
        );
      return check({ verb, severity, title });
    }
    case 'update': {
      if (!rest) return fail('Say what changed: /incident update <text> (in the incident channel).');
      if (rest.length > MAX_UPDATE)
        return fail(`An update is limited to ${MAX_UPDATE} characters (this one has ${rest.length}).`);
      return check({ verb, text: rest });
    }
    case 'resolve': {
      if (rest.length > MAX_SUMMARY)
        return fail(`The summary is limited to ${MAX_SUMMARY} characters (this one has ${rest.length}).`);
      return check({ verb, ...(rest ? { summary: rest } : {}) });
    }
    case 'list':
      if (rest) return fail('/incident list takes no arguments.');
      return check({ verb });
    case 'help':
      return check({ verb });
    default:
      return fail(unknownVerb('/incident', verbWord, VERBS, cut));
  }
}

function check(command: unknown): Parsed<IncidentCommand> {
  const parsed = incidentCommandSchema.safeParse(command);
  if (!parsed.success) return fail(parsed.error.issues[0]?.message ?? 'invalid command');
  return { ok: true, command: parsed.data };
}

/** Slack escapes &, < and > in command text. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim();
const cut = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

// `on_call_contact`: a person or a user group, written as Slack writes them (`<@U…>`, `<!subteam^S…>`)
// or as a bare id (`U…`, `S…`). Anything else could not be mentioned, so `runway check` refuses it.

const FORMS =
  /^(?:<@([UW][A-Z0-9]{2,})(?:\|[^<>]*)?>|([UW][A-Z0-9]{2,})|<!subteam\^(S[A-Z0-9]{2,})(?:\|[^<>]*)?>|(S[A-Z0-9]{2,}))$/;

export const CONTACT_PROBLEM = 'expected a user or user group to mention: <@U…>, U…, <!subteam^S…> or S…';

/** The bare id (`UCAROL`, `S0SRE`) of a contact in any accepted form, or null for any other text. */
export function contactId(text: string): string | null {
  const found = FORMS.exec(text.trim());
  return found ? (found[1] ?? found[2] ?? found[3] ?? found[4] ?? null) : null;
}

// The one place text becomes HTML. Every renderer goes through escapeHtml, so message content (a
// version, a note typed by a person, a command's output) can never become markup in the page.

const HTML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Safe in element content and in double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

/**
 * Slack text carries `&`, `<` and `>` as entities (the angle brackets are reserved for links and
 * mentions); a client shows them as the characters. `&amp;` goes last so `&amp;lt;` stays `&lt;`.
 */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Only these schemes become links; anything else (javascript:, data:) is shown as text. */
export function safeUrl(url: string): string | null {
  return /^(https?:\/\/|mailto:)/i.test(url.trim()) ? url.trim() : null;
}

// Slack's mrkdwn to HTML, the subset a Slack client shows: *bold*, _italic_, ~strike~, `code`,
// ```code blocks```, > quotes, <@U…> mentions, <#C…> channels, <!here>, <url|label> links and
// :emoji:. Code and links are taken out first (nothing inside them is formatted), the rest is escaped,
// then formatted; what was taken out goes back last. Nothing from the text reaches the page unescaped.
import { replaceEmoji } from './emoji.ts';
import { emojiSet } from './emoji-data.ts';
import { decodeSlackEntities, escapeHtml, safeUrl } from './escape.ts';

/** Names for ids, so mentions read @alice and #releases. */
export interface Directory {
  userName(id: string): string | undefined;
  channelName(id: string): string | undefined;
  groupHandle(id: string): string | undefined;
}

// Placeholders for the parts taken out, marked with a private-use character stripped from the text first.
const HOLD = '\uE000';
const HELD = /\uE000(\d+)\uE000/g;

/** Plain text (a header, a button label): escaped, with emoji when the object asks for them. */
export function plainText(text: string, emoji = true): string {
  return replaceEmoji(escapeHtml(text), emojiSet(), { names: emoji });
}

export function mrkdwn(text: string, dir: Directory): string {
  const held: string[] = [];
  const hold = (html: string): string => `${HOLD}${held.push(html) - 1}${HOLD}`;
  let s = text.replace(/\uE000/g, '');
  s = s.replace(/```([\s\S]*?)```/g, (_, body: string) =>
    hold(`<pre class="mk-pre">${codeText(body.replace(/^\n/, ''))}</pre>`),
  );
  s = s.replace(/`([^`\n]+)`/g, (_, body: string) => hold(`<code class="mk-code">${codeText(body)}</code>`));
  s = s.replace(/<([^<>\n]+)>/g, (_, inner: string) => hold(special(inner, dir)));
  // Bare URLs are linked as Slack's client links them; trailing punctuation stays outside.
  s = s.replace(/https?:\/\/[^\s<>\uE000]+/g, (found) => {
    const url = found.replace(/[.,;:!?)\]'"*_~]+$/, '');
    const plain = decodeSlackEntities(url);
    return hold(link(plain, escapeHtml(plain))) + found.slice(url.length);
  });
  s = replaceEmoji(escapeHtml(decodeSlackEntities(s)), emojiSet(), { hold });
  s = inline(s);
  s = blocks(s);
  // Twice: a link's label may hold a code span taken out before it.
  const restore = (t: string) => t.replace(HELD, (_, i: string) => held[Number(i)] ?? '');
  return restore(restore(s));
}

/** Code as typed: no :shortcodes:, but an emoji character is still drawn as an image. */
const codeText = (body: string): string =>
  replaceEmoji(escapeHtml(decodeSlackEntities(body)), emojiSet(), { names: false });

/** Bold, italic, strike: only at word edges, so snake_case and 2*3*4 stay as typed. */
function inline(s: string): string {
  const wrap = (mark: string): RegExp => {
    // Under the u flag only syntax characters may be escaped: * is, _ and ~ are not.
    const m = mark === '*' ? '\\*' : mark;
    return new RegExp(
      `(?<![\\p{L}\\p{N}${m}])${m}(?!\\s)([^${m}\\n]+?)(?<!\\s)${m}(?![\\p{L}\\p{N}${m}])`,
      'gu',
    );
  };
  return s
    .replace(wrap('*'), '<strong>$1</strong>')
    .replace(wrap('_'), '<em>$1</em>')
    .replace(wrap('~'), '<del>$1</del>');
}

/** Lines starting with ">" become a quote; newlines become line breaks. */
function blocks(s: string): string {
  const out: string[] = [];
  let quote: string[] = [];
  const flush = () => {
    if (quote.length) out.push(`<blockquote class="mk-quote">${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  const lines = s.split('\n');
  lines.forEach((line, i) => {
    const quoted = /^&gt; ?(.*)$/.exec(line);
    if (quoted) return void quote.push(quoted[1] ?? '');
    flush();
    out.push(line + (i < lines.length - 1 ? '<br>' : ''));
  });
  flush();
  return out.join('');
}

/** What sits between < and >: a mention, a channel, a special mention, or a link. */
function special(inner: string, dir: Directory): string {
  const bar = inner.indexOf('|');
  const target = bar >= 0 ? inner.slice(0, bar) : inner;
  const label = bar >= 0 ? decodeSlackEntities(inner.slice(bar + 1)) : undefined;
  if (target.startsWith('@')) {
    const id = target.slice(1);
    const name = dir.userName(id) ?? label?.replace(/^@/, '') ?? id;
    return `<span class="mk-mention" data-user="${escapeHtml(id)}">@${escapeHtml(name)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    const name = dir.channelName(id) ?? label ?? id;
    return `<a class="mk-channel" href="#" data-channel="${escapeHtml(id)}">#${escapeHtml(name)}</a>`;
  }
  if (target.startsWith('!'))
    return `<span class="mk-mention mk-broadcast">${escapeHtml(broadcast(target.slice(1), label, dir))}</span>`;
  const url = safeUrl(decodeSlackEntities(target));
  const text = replaceEmoji(escapeHtml(label ?? decodeSlackEntities(target)), emojiSet());
  // Not a link Slack knows: shown as typed, brackets included.
  if (!url) return label === undefined ? `&lt;${text}&gt;` : text;
  return link(url, text);
}

/** An external link, or an in-page jump when it is a message permalink. `text` is already HTML. */
function link(url: string, text: string): string {
  const safe = safeUrl(url);
  if (!safe) return text;
  return `<a class="mk-link" href="${escapeHtml(safe)}"${jumpAttributes(safe)} target="_blank" rel="noopener noreferrer">${text}</a>`;
}

function broadcast(what: string, label: string | undefined, dir: Directory): string {
  if (what.startsWith('subteam^')) {
    const id = what.slice('subteam^'.length);
    return `@${dir.groupHandle(id) ?? label?.replace(/^@/, '') ?? id}`;
  }
  if (what.startsWith('date^')) return label ?? what;
  if (['here', 'channel', 'everyone'].includes(what)) return `@${what}`;
  return label ?? what;
}

/** A message permalink (Slack's /archives/C…/p… form, on any host) opens that message in the page. */
export function jumpAttributes(url: string): string {
  const found = /\/archives\/([CDG][A-Z0-9]+)\/p(\d{10})(\d{6})(?:\?thread_ts=(\d+\.\d+))?/.exec(url);
  if (!found) return '';
  const [, channel = '', secs = '', micros = '', thread] = found;
  const threadAttr = thread ? ` data-jump-thread="${escapeHtml(thread)}"` : '';
  return ` data-jump-channel="${escapeHtml(channel)}" data-jump-ts="${secs}.${micros}"${threadAttr}`;
}

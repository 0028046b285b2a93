// mrkdwn to HTML: what a Slack client shows, and nothing from the text ever becoming markup.
import { describe, expect, it } from 'vitest';
import { mrkdwn, plainText, type Directory } from '../../../src/sandbox/ui/render/mrkdwn.ts';
import { escapeHtml } from '../../../src/sandbox/ui/render/escape.ts';

const dir: Directory = {
  userName: (id) => ({ UALICE: 'alice', UBOB: 'bob' })[id],
  channelName: (id) => ({ CRELEASES: 'releases' })[id],
  groupHandle: (id) => ({ S0SRETEAM: 'sre' })[id],
};

const img = (emoji: string, file: string) =>
  `<img class="emoji" src="/emoji/${file}" alt="${emoji}" draggable="false">`;

const link = (href: string, text: string, extra = '') =>
  `<a class="mk-link" href="${href}"${extra} target="_blank" rel="noopener noreferrer">${text}</a>`;

describe('mrkdwn', () => {
  it.each([
    ['*bold*', '<strong>bold</strong>'],
    ['_italic_', '<em>italic</em>'],
    ['~gone~', '<del>gone</del>'],
    ['*Approvals* 1/2: _bob_', '<strong>Approvals</strong> 1/2: <em>bob</em>'],
    ['snake_case_name and 2*3*4', 'snake_case_name and 2*3*4'],
    ['* not bold *', '* not bold *'],
    ['`*code*`', '<code class="mk-code">*code*</code>'],
    ['```line 1\n*line* 2```', '<pre class="mk-pre">line 1\n*line* 2</pre>'],
    ['one\ntwo', 'one<br>two'],
    ['&gt; quoted\n&gt; more\nafter', '<blockquote class="mk-quote">quoted<br>more</blockquote>after'],
    [':white_check_mark: ok :tada:', `${img('✅', '2705.png')} ok ${img('🎉', '1f389.png')}`],
    ['▶️ *Running*', `${img('▶️', '25b6-fe0f.png')} <strong>Running</strong>`],
    ['`✅ :tada:`', `<code class="mk-code">${img('✅', '2705.png')} :tada:</code>`],
    [':not_an_emoji: 10:00:30', ':not_an_emoji: 10:00:30'],
    [
      '<@UALICE> and <@UZED|zed>',
      '<span class="mk-mention" data-user="UALICE">@alice</span> and <span class="mk-mention" data-user="UZED">@zed</span>',
    ],
    ['<#CRELEASES>', '<a class="mk-channel" href="#" data-channel="CRELEASES">#releases</a>'],
    ['<#CNEW|new-channel>', '<a class="mk-channel" href="#" data-channel="CNEW">#new-channel</a>'],
    [
      '<!here> <!subteam^S0SRETEAM>',
      '<span class="mk-mention mk-broadcast">@here</span> <span class="mk-mention mk-broadcast">@sre</span>',
    ],
    [
      '<https://grafana.example.com/d/x?a=1&amp;b=2|dashboard>',
      link('https://grafana.example.com/d/x?a=1&amp;b=2', 'dashboard'),
    ],
    [
      'see https://example.com/a_b_c.',
      `see ${link('https://example.com/a_b_c', 'https://example.com/a_b_c')}.`,
    ],
    ['*<https://a.example|bold link>*', `<strong>${link('https://a.example', 'bold link')}</strong>`],
    [
      '<https://slack.com/archives/CRELEASES/p1732350000123456|card>',
      link(
        'https://slack.com/archives/CRELEASES/p1732350000123456',
        'card',
        ' data-jump-channel="CRELEASES" data-jump-ts="1732350000.123456"',
      ),
    ],
  ])('%j → %j', (text, html) => {
    expect(mrkdwn(text, dir)).toBe(html);
  });

  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['&lt;img src=x onerror=alert(1)&gt;', '&lt;img src=x onerror=alert(1)&gt;'],
    ['<javascript:alert(1)|click me>', 'click me'],
    ['<data:text/html,hi>', '&lt;data:text/html,hi&gt;'],
    [
      '<https://x.example/"onmouseover="alert(1)|x>',
      link('https://x.example/&quot;onmouseover=&quot;alert(1)', 'x'),
    ],
    ['<@U1"><b>|x>', '<span class="mk-mention" data-user="U1&quot;">@U1&quot;</span>&lt;b&gt;|x&gt;'],
    ['`<b>` ```<i>```', '<code class="mk-code">&lt;b&gt;</code> <pre class="mk-pre">&lt;i&gt;</pre>'],
    ['a\uE000 0\uE000 b', 'a 0 b'],
    ['it\'s "quoted"', 'it&#39;s &quot;quoted&quot;'],
  ])('escapes %j', (text, html) => {
    expect(mrkdwn(text, dir)).toBe(html);
  });

  it('never lets a tag through, whatever the input', () => {
    const nasty = [
      '<img src=x onerror=1>',
      '&lt;svg onload=1&gt;',
      '<<b>>',
      '*<i>*',
      '_<u>_',
      '```<x>```',
      '<@<b>>',
      '✅<img src=x onerror=1>:tada:',
    ];
    for (const text of nasty) {
      const html = mrkdwn(text, dir);
      // The only images are the emoji set's, with nothing of the text in their attributes but an emoji.
      const rest = html.replace(
        /<img class="emoji" src="\/emoji\/[0-9a-f-]+\.png" alt="[^"<>&]+" draggable="false">/gu,
        '',
      );
      const tags = rest.match(/<\/?([a-z]+)/g) ?? [];
      expect(tags.every((t) => /^<\/?(strong|em|del|code|pre|br|blockquote|span|a)$/.test(t))).toBe(true);
    }
  });

  it('plain_text is escaped, with emoji only when asked', () => {
    expect(plainText('<b> :tada:')).toBe(`&lt;b&gt; ${img('🎉', '1f389.png')}`);
    expect(plainText('<b> :tada: 🚀', false)).toBe(`&lt;b&gt; :tada: ${img('🚀', '1f680.png')}`);
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });
});

// Block Kit to HTML: every block and element Runway sends, built with Runway's own builders where
// there is one, so the page shows what the bot really sends.
import { describe, expect, it } from 'vitest';
import { actions, button, context, fieldsSection, header, section } from '../../../src/slack/views/blocks.ts';
import { renderBlocks, renderBlock, type RenderContext } from '../../../src/sandbox/ui/render/blocks.ts';
import type { Directory } from '../../../src/sandbox/ui/render/mrkdwn.ts';
import type { JsonObject } from '../../../src/sandbox/workspace/types.ts';

const dir: Directory = {
  userName: (id) => ({ UALICE: 'alice' })[id],
  channelName: () => undefined,
  groupHandle: () => undefined,
};
const message: RenderContext = { dir, surface: 'message' };
const modal: RenderContext = { dir, surface: 'modal' };
const json = (value: unknown): JsonObject => JSON.parse(JSON.stringify(value)) as JsonObject;

/** The attributes of the first `<tag …>` whose opening starts with `start` (a tag name, maybe a class). */
function attrs(html: string, start: string): Record<string, string> {
  const found = new RegExp(`<${start.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^>]*)>`).exec(html);
  if (!found) throw new Error(`no <${start}> in ${html}`);
  const out: Record<string, string> = {};
  for (const m of (found[1] ?? '').matchAll(/([\w-]+)(?:="([^"]*)")?/g)) out[m[1]!] = m[2] ?? '';
  return out;
}
const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describe('renderBlock', () => {
  it('header: plain text with emoji, escaped', () => {
    expect(renderBlock(json(header('🚀 shop <v1.3.0> :tada:', 'h')), message)).toBe(
      '<div class="bk bk-header" data-block-id="h"><img class="emoji" src="/emoji/1f680.png" alt="🚀" draggable="false"> shop &lt;v1.3.0&gt; <img class="emoji" src="/emoji/1f389.png" alt="🎉" draggable="false"></div>',
    );
  });

  it('section: mrkdwn text, and fields in a grid', () => {
    expect(renderBlock(json(section('*Notes*\nship it', 's')), message)).toBe(
      '<div class="bk bk-section" data-block-id="s"><div class="bk-text"><strong>Notes</strong><br>ship it</div></div>',
    );
    const html = renderBlock(
      json(fieldsSection(['*Requested by*\n<@UALICE>', '*Traffic*\n10%'], 'f')),
      message,
    );
    expect(html).toContain('<div class="bk-fields">');
    expect(html.match(/class="bk-field"/g)).toHaveLength(2);
    expect(html).toContain(
      '<strong>Requested by</strong><br><span class="mk-mention" data-user="UALICE">@alice</span>',
    );
  });

  it('section with a button accessory', () => {
    const block = json({
      ...section('Open the runbook', 'acc'),
      accessory: button({ text: 'Open', actionId: 'open', value: 'x' }),
    });
    const html = renderBlock(block, message);
    expect(html).toContain('<div class="bk-with-accessory">');
    expect(attrs(html, 'button')).toMatchObject({
      'data-action-id': 'open',
      'data-block-id': 'acc',
      'data-kind': 'button',
    });
  });

  it('context: small mrkdwn elements', () => {
    expect(renderBlock(json(context(['Release `r-1` · started', 'by <@UALICE>'], 'c')), message)).toBe(
      '<div class="bk bk-context" data-block-id="c"><span class="bk-context-item">Release <code class="mk-code">r-1</code> · started</span>' +
        '<span class="bk-context-item">by <span class="mk-mention" data-user="UALICE">@alice</span></span></div>',
    );
  });

  it('divider', () => {
    expect(renderBlock({ type: 'divider' }, message)).toBe('<hr class="bk bk-divider">');
  });

  it('actions: buttons keep their style, value and block id; a confirm dialog travels rendered', () => {
    const block = json(
      actions(
        [
          button({ text: 'Approve', actionId: 'release_approve', value: 'r-1', style: 'primary' }),
          button({ text: 'Reject', actionId: 'release_reject', value: 'r-1', style: 'danger' }),
          button({
            text: 'Roll back',
            actionId: 'release_rollback',
            value: 'r-1',
            style: 'danger',
            confirm: {
              title: 'Roll back?',
              text: 'Traffic returns to *v1.2.0* <now>.',
              confirm: 'Roll back',
              deny: 'Cancel',
            },
          }),
        ],
        'card-actions',
      ),
    );
    const html = renderBlock(block, message);
    const buttons = [...html.matchAll(/<button[^>]*>(.*?)<\/button>/g)].map((m) => m[1]);
    expect(buttons).toEqual(['Approve', 'Reject', 'Roll back']);
    expect(html).toContain(
      'class="bk-btn bk-btn-primary" data-kind="button" data-action-id="release_approve" data-block-id="card-actions" data-value="r-1"',
    );
    expect(html).toContain('class="bk-btn bk-btn-danger"');
    const confirm = /data-confirm="([^"]*)"/.exec(html)?.[1];
    expect(JSON.parse(unescape(confirm ?? ''))).toEqual({
      title: 'Roll back?',
      text: 'Traffic returns to <strong>v1.2.0</strong> &lt;now&gt;.',
      confirm: 'Roll back',
      deny: 'Cancel',
      style: 'danger',
    });
  });

  it('a link button opens its URL instead of sending a click', () => {
    const html = renderBlock(
      json(
        actions(
          [
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Dashboard' },
              url: 'https://grafana.example.com',
              action_id: 'l',
            },
          ],
          'a',
        ),
      ),
      message,
    );
    expect(html).toContain(
      '<a class="bk-btn" href="https://grafana.example.com" target="_blank" rel="noopener noreferrer">Dashboard</a>',
    );
    // A link to a message (the Home's "Open card") opens that message in the page.
    const card = renderBlock(
      json(
        actions(
          [
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Open card' },
              url: 'http://localhost:3000/archives/CRELEASES/p1732350000000100',
              action_id: 'home-open-card-1',
            },
          ],
          'a',
        ),
      ),
      message,
    );
    expect(card).toContain('data-jump-channel="CRELEASES" data-jump-ts="1732350000.000100"');
  });

  it('checkboxes: initial_options checked, ticking them acts on a message', () => {
    const block: JsonObject = {
      type: 'actions',
      block_id: 'card-preflight-tick',
      elements: [
        {
          type: 'checkboxes',
          action_id: 'preflight_tick',
          options: [
            { text: { type: 'plain_text', text: 'Database backup completed' }, value: 'backup' },
            {
              text: { type: 'plain_text', text: 'Feature flag off' },
              value: 'flag',
              description: { type: 'plain_text', text: 'optional' },
            },
          ],
          initial_options: [
            { text: { type: 'plain_text', text: 'Database backup completed' }, value: 'backup' },
          ],
        },
      ],
    };
    const html = renderBlock(block, message);
    expect(attrs(html, 'div class="bk-choices"')).toMatchObject({
      'data-kind': 'checkboxes',
      'data-action-id': 'preflight_tick',
      'data-block-id': 'card-preflight-tick',
    });
    expect(html).toContain('value="backup" checked>');
    expect(html).toContain('value="flag">');
    expect(html).toContain('<small class="bk-choice-desc">optional</small>');
  });

  it('on a Home tab, buttons and checkboxes are shown but inert', () => {
    const html = renderBlocks(
      [json(actions([button({ text: 'Approve', actionId: 'a', value: 'v' })], 'b'))],
      { dir, surface: 'home' },
    );
    expect(html).toContain(' disabled');
    expect(html).not.toContain('data-kind');
  });

  it('input blocks in a modal become form fields, with their errors', () => {
    const blocks: JsonObject[] = [
      {
        type: 'input',
        block_id: 'incident-update',
        label: { type: 'plain_text', text: 'What changed?' },
        element: {
          type: 'plain_text_input',
          action_id: 'text',
          multiline: true,
          max_length: 3000,
          placeholder: { type: 'plain_text', text: 'Impact, next step' },
        },
      },
      {
        type: 'input',
        block_id: 'sev',
        optional: true,
        label: { type: 'plain_text', text: 'Severity' },
        element: {
          type: 'static_select',
          action_id: 'pick',
          options: ['sev1', 'sev2'].map((v) => ({
            text: { type: 'plain_text', text: v.toUpperCase() },
            value: v,
          })),
          initial_option: { text: { type: 'plain_text', text: 'SEV2' }, value: 'sev2' },
        },
      },
      {
        type: 'input',
        block_id: 'one',
        label: { type: 'plain_text', text: 'One line' },
        element: { type: 'plain_text_input', action_id: 'v', initial_value: 'a "b"' },
      },
    ];
    const html = renderBlocks(blocks, modal, { 'incident-update': 'Say what changed <please>' });
    expect(html).toContain('<label class="bk-label">What changed?</label>');
    expect(html).toContain(
      '<textarea rows="4" class="bk-input" data-field="text" data-action-id="text" data-block-id="incident-update" placeholder="Impact, next step" maxlength="3000"></textarea>',
    );
    expect(html).toContain(
      '<div class="bk-error" data-error-for="incident-update">Say what changed &lt;please&gt;</div>',
    );
    expect(html).toContain('<div class="bk-error" data-error-for="sev" hidden></div>');
    expect(html).toContain('<span class="bk-optional">(optional)</span>');
    expect(html).toContain(
      '<select class="bk-select" data-field="select" data-action-id="pick" data-block-id="sev">',
    );
    expect(html).toContain('<option value="sev2" selected>SEV2</option>');
    expect(html).toContain(
      '<input type="text" class="bk-input" data-field="text" data-action-id="v" data-block-id="one" value="a &quot;b&quot;">',
    );
  });

  it('images only from http(s); rich_text as its words; anything else as a visible placeholder', () => {
    expect(
      renderBlock({ type: 'image', image_url: 'javascript:alert(1)', alt_text: 'x' }, message),
    ).not.toContain('<img');
    expect(
      renderBlock({ type: 'image', image_url: 'https://x.example/a.png', alt_text: '<x>' }, message),
    ).toContain('<img src="https://x.example/a.png" alt="&lt;x&gt;">');
    const rich: JsonObject = {
      type: 'rich_text',
      block_id: 'r',
      elements: [
        {
          type: 'rich_text_section',
          elements: [
            { type: 'text', text: 'hi <b>' },
            { type: 'emoji', name: 'wave' },
          ],
        },
      ],
    };
    expect(renderBlock(rich, message)).toBe(
      '<div class="bk bk-rich-text" data-block-id="r">hi &lt;b&gt;:wave:</div>',
    );
    expect(renderBlock({ type: 'video', block_id: 'v' }, message)).toBe(
      '<div class="bk bk-unsupported" data-block-id="v">[video block]</div>',
    );
    expect(renderBlock(json(actions([{ type: 'datepicker', action_id: 'd' }], 'a')), message)).toContain(
      '<span class="bk-unsupported">[datepicker]</span>',
    );
  });

  it('survives malformed blocks without throwing', () => {
    const odd: JsonObject[] = [
      {},
      { type: 'section', text: 'not an object' },
      { type: 'actions', elements: 'nope' },
      { type: 'context', elements: [null, 3] },
    ];
    expect(() => renderBlocks(odd, message)).not.toThrow();
  });
});

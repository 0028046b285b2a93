// The local sandbox in a real browser (SPEC section 9): the real bot, the Slack-like workspace and the
// demo service, driven through the page as people would. alice starts a release, bob and carol approve
// it, it goes live and the handoff reaches #on-call; then a -bad version breaches its canary gate, rolls
// back by itself and opens an incident channel. The demo runbook's holds make this about two minutes.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.ts';
import { runSandbox, type Sandbox } from '../../src/sandbox/run-sandbox.ts';
import { useRedis } from '../helpers/redis.ts';
import {
  CHROMIUM,
  emojiLeftAsText,
  openBrowser,
  SandboxPage,
  type BrowserSession,
} from './helpers/browser.ts';

const redis = useRedis();
let sandbox: Sandbox;
let browser: BrowserSession;
let ui: SandboxPage;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: apt-get install chromium (what .ci/run does), or set CHROMIUM_PATH`,
    );
  }
  sandbox = await runSandbox({
    port: 0,
    demoPort: 0,
    redisUrl: redis.url,
    log: createLogger({ level: 'silent' }),
  });
  browser = await openBrowser();
  ui = new SandboxPage(browser.page);
  await ui.open(sandbox.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await sandbox?.close();
});

describe('the sandbox page', () => {
  it('takes a release from /release start to live, with approvals by other people and the handoff in #on-call', async () => {
    const page = browser.page;
    await ui.type('/release start shop v1.3.0');
    const card = ui.card('shop v1.3.0 → production');
    await ui.waitForText(card, 'Waiting for approval');

    // alice may not approve her own release: the refusal is hers alone to see.
    await ui.click(card, 'Approve');
    const refusal = page.locator('#messages .msg-ephemeral', { hasText: /approve/i });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Only visible to you');
    await ui.as('bob');
    expect(await page.locator('#messages .msg-ephemeral').count()).toBe(0);

    await ui.click(card, 'Approve');
    await ui.waitForText(card, 'Approvals 1/2');
    await ui.as('carol');
    await ui.click(card, 'Approve');
    await ui.waitForText(card, 'Approvals 2/2');
    await ui.waitForText(card, 'Running');

    // Roll back asks first; Cancel sends nothing.
    await ui.waitForText(card, 'Roll back');
    await ui.click(card, 'Roll back');
    const confirm = page.locator('#confirm-dialog');
    await confirm.locator('#confirm-title', { hasText: 'Roll back?' }).waitFor();
    await confirm.locator('#confirm-deny').click();
    await confirm.waitFor({ state: 'hidden' });

    // The thread carries each stage; the card is edited in place up to its final state.
    const thread = await ui.openThread(card);
    await ui.waitForText(thread, 'Approved by');
    // A thread opens on its last reply, whole.
    expect(await ui.scrolledToEnd('#thread-messages')).toBe(true);
    await ui.waitForText(card, 'Completed', 150_000);
    expect(await card.locator('button[data-kind="button"]').count()).toBe(0);
    await expect
      .poll(() => page.locator('#demo-panel').textContent(), { timeout: 15_000 })
      .toMatch(/stable\s*v1\.3\.0\s*100%/);
    // Readable without emoji: each stage says its state in words.
    await ui.waitForText(card, /1\. deploy — done/);

    // Emoji are images (drawn, not left to a font that may not have them): no empty boxes.
    expect(await emojiLeftAsText(page)).toEqual([]);
    const drawn = await page
      .locator('#messages img.emoji')
      .evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth > 0));
    expect(drawn.length).toBeGreaterThan(5);
    expect(drawn.every(Boolean)).toBe(true);

    // Another channel closes the thread of this one.
    await ui.openChannel('on-call');
    await page.locator('#thread-pane').waitFor({ state: 'hidden' });
    const handoff = ui.message('Release handoff: shop v1.3.0');
    await handoff.waitFor();
    // The on-call contact (the runbook's "<@UCAROL>") is a mention, not raw markup.
    await handoff.locator('.mk-mention', { hasText: '@carol' }).waitFor();
    expect(await handoff.textContent()).not.toContain('<@');
    // Its link to the card opens the card in the page, not on slack.com.
    const link = handoff.locator('a.mk-link', { hasText: 'release card' });
    expect(await link.getAttribute('href')).toMatch(/^http:\/\/(127\.0\.0\.1|localhost):\d+\/archives\/C/);
    await link.click();
    await page.locator('#channel-title', { hasText: '# releases' }).waitFor();
    await page
      .locator('#messages .msg.msg-flash .bk-header', { hasText: 'shop v1.3.0 → production' })
      .waitFor();
    expect(browser.context.pages()).toHaveLength(1);
    expect(new URL(page.url()).origin).toBe(new URL(sandbox.url).origin);
  }, 150_000);

  it('rolls a -bad version back on its canary breach, says so on the card and opens an incident channel', async () => {
    const page = browser.page;
    await ui.openChannel('releases');
    await ui.as('alice');
    await ui.type('/release start shop v1.3.1-bad');
    const card = ui.card('shop v1.3.1-bad → production');
    await ui.waitForText(card, 'Waiting for approval');
    await ui.as('bob');
    await ui.click(card, 'Approve');
    await ui.waitForText(card, 'Approvals 1/2');
    await ui.as('carol');
    await ui.click(card, 'Approve');

    await ui.waitForText(card, 'Rolled back', 120_000);
    await ui.waitForText(card, 'error_rate');
    // The canary chart of the breach shows in the thread as an image.
    const thread = await ui.openThread(card);
    const chart = thread.locator('img.msg-file-image');
    await chart.first().waitFor({ timeout: 30_000 });
    await expect
      .poll(() => chart.first().evaluate((img) => (img as HTMLImageElement).naturalWidth), {
        timeout: 15_000,
      })
      .toBeGreaterThan(1000);
    await expect
      .poll(() => page.locator('#demo-panel').textContent(), { timeout: 15_000 })
      .toMatch(/stable\s*v1\.3\.0\s*100%/);

    const incident = page.locator('#channel-list a.channel-link', { hasText: /^#inc-\d{8}-/ });
    await incident.first().waitFor({ timeout: 30_000 });
    // The breach that caused the rollback is marked failed, not as a warning.
    await ui.waitForText(card, /error_rate 0\.\d+ > max 0\.02 for [\d.]+s \(allowed 6s\)\s*failed/);
    // A card that ended is final: the same a few seconds later, readings and all. (The "N replies"
    // bar under it is the thread, not the card: rollback lines may still be arriving at Slack's pace.)
    const cardText = () =>
      card.evaluate((el) => {
        const copy = el.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('.msg-replies').forEach((bar) => bar.remove());
        return copy.innerText || copy.textContent || '';
      });
    const ended = await cardText();
    await page.waitForTimeout(4000);
    expect(await cardText()).toBe(ended);
    await incident.first().click();
    const incidentCard = page.locator('#messages .msg', {
      has: page.locator('.bk-header', { hasText: /SEV2/ }),
    });
    await incidentCard.first().waitFor();

    // Post update opens the app's modal; what is typed there comes back as the update in the channel.
    await ui.click(incidentCard.first(), 'Post update');
    const modal = page.locator('#modal-dialog');
    await modal.locator('#modal-title', { hasText: 'Post update' }).waitFor();
    await modal
      .locator('textarea')
      .fill('Rolled back to v1.3.0, error rate back to normal. Next update in 30 min.');
    await modal.locator('#modal-submit').click();
    await modal.waitFor({ state: 'hidden' });
    await ui.message('error rate back to normal').waitFor();
    // The incident channel has a topic, shown in its header.
    await page.locator('#channel-purpose', { hasText: /^SEV2 incident · shop v1\.3\.1-bad/ }).waitFor();

    // App Home lists the open incident, with a button that opens it in the page.
    await page.locator('#home-link').click();
    const home = page.locator('#home-view');
    await home.locator('.bk-header', { hasText: 'Open incidents (1)' }).waitFor();
    await home.locator('a.bk-btn', { hasText: 'Open incident' }).click();
    await page.locator('#channel-title', { hasText: /^# inc-\d{8}-/ }).waitFor();
  }, 150_000);

  it('works at phone width (420 px): channels, the card, its thread, the composer', async () => {
    const page = browser.page;
    await page.setViewportSize({ width: 420, height: 860 });
    try {
      await ui.openChannel('releases');
      const card = ui.card('shop v1.3.1-bad → production');
      await card.waitFor();
      // Nothing wider than the screen: no sideways scrolling.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
      for (const selector of ['#composer-input', '#channel-list', '[data-switch-user]']) {
        const box = await page.locator(selector).first().boundingBox();
        expect(box, selector).not.toBeNull();
        expect(box!.x + box!.width, selector).toBeLessThanOrEqual(421);
      }
      const cardBox = await card.boundingBox();
      expect(cardBox!.width).toBeGreaterThan(300);
      // A thread covers the channel and its ✕ goes back.
      const thread = await ui.openThread(card);
      const threadBox = await thread.boundingBox();
      expect(threadBox!.x).toBeLessThanOrEqual(1);
      expect(threadBox!.width).toBeGreaterThanOrEqual(419);
      expect(await ui.scrolledToEnd('#thread-messages')).toBe(true);
      await page.locator('#thread-close').click();
      await thread.waitFor({ state: 'hidden' });
      await page.locator('#composer-input').waitFor();
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  it('shows what people type as text, never as markup', async () => {
    const page = browser.page;
    await ui.openChannel('on-call');
    await ui.type('<img src=x onerror="window.pwned=1"> <b>not bold</b> but *this is*');
    const typed = ui.message('not bold');
    await typed.waitFor();
    expect(await typed.locator('.msg-content img, .msg-content b').count()).toBe(0);
    expect(await typed.locator('.msg-content strong').textContent()).toBe('this is');
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  });
});

// Driving the sandbox page like a person, with playwright-core and Debian's Chromium (never a
// downloaded browser): pick who acts, type in the composer, click a card's buttons, read what shows.
// Shared by the browser test and scripts/screenshot.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A fresh, empty profile each time: no cookies, no localStorage, nothing from a previous run. */
export async function openBrowser(viewport = { width: 1440, height: 900 }): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'runway-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--headless=new',
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The page, seen as one person at a time. */
export class SandboxPage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.channelLink('releases').waitFor();
  }

  channelLink(name: string): Locator {
    return this.page.locator('#channel-list a.channel-link', { hasText: new RegExp(`^#${escapeRe(name)}$`) });
  }

  /** Acts as `name` from now on (the switcher reconnects the feed and redraws everything). */
  async as(name: string): Promise<void> {
    const button = this.page.locator('[data-switch-user]', { hasText: name });
    const id = await button.getAttribute('data-switch-user');
    await button.click();
    // The page marks the body once that person's snapshot is drawn.
    await this.page.locator(`body[data-me="${id}"]`).waitFor();
  }

  async openChannel(name: string): Promise<void> {
    await this.channelLink(name).click();
    await this.page.locator('#channel-title', { hasText: `# ${name}` }).waitFor();
  }

  /** Types a line in the channel's composer and sends it with Enter. */
  async type(line: string): Promise<void> {
    const input = this.page.locator('#composer-input');
    await input.fill(line);
    await input.press('Enter');
    await this.page.waitForFunction(
      () => (document.getElementById('composer-input') as HTMLTextAreaElement).value === '',
    );
  }

  /** The channel's message whose text contains `text` (the last one, when several do). */
  message(text: string | RegExp): Locator {
    return this.page.locator('#messages .msg', { hasText: text }).last();
  }

  /** A release card in #releases, by its header ("shop v1.3.0 → production"). */
  card(title: string): Locator {
    return this.page
      .locator('#messages .msg', { has: this.page.locator('.bk-header', { hasText: title }) })
      .last();
  }

  async click(where: Locator, label: string): Promise<void> {
    await where
      .locator('button[data-kind="button"]', { hasText: new RegExp(`^${escapeRe(label)}$`) })
      .click();
  }

  /** Waits until `where` shows `text`; Runway edits cards in place, so this is how progress is seen. */
  async waitForText(where: Locator, text: string | RegExp, timeout = 30_000): Promise<void> {
    await where.filter({ hasText: text }).waitFor({ timeout });
  }

  /** Whether a scrolled list shows its end (its last message whole). */
  async scrolledToEnd(selector: string): Promise<boolean> {
    return this.page.locator(selector).evaluate(async (node) => {
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      return node.scrollHeight - node.scrollTop - node.clientHeight <= 2;
    });
  }

  /** Opens the thread of a message through its "N replies" link. */
  async openThread(message: Locator): Promise<Locator> {
    await message.locator('.msg-replies').click();
    const pane = this.page.locator('#thread-pane');
    await pane.waitFor();
    return pane;
  }
}

/**
 * Emoji on the page left as text, which a browser without an emoji font draws as empty boxes: every
 * one should be an image. Returns each such character with the text around it.
 */
export async function emojiLeftAsText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('script, style, textarea, [hidden]')) continue;
      const text = node.textContent ?? '';
      const at = text.search(/\p{Extended_Pictographic}/u);
      if (at >= 0) found.push(text.slice(Math.max(0, at - 20), at + 20));
    }
    return found;
  });
}

const escapeRe = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

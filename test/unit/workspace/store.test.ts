import { describe, expect, it } from 'vitest';
import { compareTs, createTsClock } from '../../../src/sandbox/workspace/ids.ts';
import { WorkspaceStore } from '../../../src/sandbox/workspace/store.ts';
import type { WorkspaceEvent } from '../../../src/sandbox/workspace/types.ts';

describe('the workspace store', () => {
  it('seeds a requester, two approvers in S0SRETEAM, the bot and the three channels', () => {
    const store = new WorkspaceStore();
    expect(store.users().map((u) => u.id)).toEqual(['UALICE', 'UBOB', 'UCAROL', 'UBOT']);
    for (const user of store.users()) expect(user.id).toMatch(/^U[A-Z0-9]+$/);
    expect(store.userGroup('S0SRETEAM')?.users).toEqual(['UBOB', 'UCAROL']);
    expect(store.channels().map((c) => [c.id, c.name])).toEqual([
      ['CRELEASES', 'releases'],
      ['CONCALL', 'on-call'],
      ['CINCIDENTS', 'incidents'],
    ]);
    expect(store.resolveChannel('#on-call')?.id).toBe('CONCALL');
    expect(store.resolveUser('@carol')?.id).toBe('UCAROL');
  });

  it('stamps messages with unique, increasing ts even within one millisecond', () => {
    const nextTs = createTsClock(() => 1732350000123);
    const stamps = Array.from({ length: 5 }, nextTs);
    expect(stamps).toEqual([
      '1732350000.123000',
      '1732350000.123001',
      '1732350000.123002',
      '1732350000.123003',
      '1732350000.123004',
    ]);
    expect(compareTs('1732350000.000100', '1732350000.0001')).toBe(0);
    expect(compareTs('1732350001', '1732350000.999999')).toBe(1);
  });

  it('hands out copies, so a reader keeps the version it read', () => {
    const store = new WorkspaceStore();
    const posted = store.postMessage({ channel: 'CRELEASES', user: 'UBOT', text: 'v1' });
    posted.text = 'mutated by a test';
    store.updateMessage('CRELEASES', posted.ts, { text: 'v2' }, 'UBOT');
    expect(posted.text).toBe('mutated by a test');
    expect(store.message('CRELEASES', posted.ts)?.text).toBe('v2');
  });

  it('announces every change on the feed, in order', () => {
    const store = new WorkspaceStore();
    const events: WorkspaceEvent[] = [];
    store.onChange((e) => events.push(e));
    const root = store.postMessage({ channel: 'CRELEASES', user: 'UBOT', text: 'card' });
    store.postMessage({ channel: 'CRELEASES', user: 'UBOT', text: 'reply', thread_ts: root.ts });
    store.updateMessage('CRELEASES', root.ts, { text: 'card v2' }, 'UBOT');
    store.postEphemeral({ channel: 'CRELEASES', user: 'UBOB', text: 'psst' });
    store.deleteMessage('CRELEASES', root.ts);
    expect(events.map((e) => e.type)).toEqual([
      'message',
      'message',
      'message_changed',
      'message_changed',
      'ephemeral',
      'message_deleted',
    ]);
    expect(events[3]).toMatchObject({
      type: 'message_changed',
      message: { text: 'card v2', reply_count: 1 },
    });
  });

  it('keeps feeding the others when one listener throws', () => {
    const store = new WorkspaceStore();
    const got: string[] = [];
    store.onChange(() => {
      throw new Error('closed stream');
    });
    const unsubscribe = store.onChange((e) => got.push(e.type));
    store.postMessage({ channel: 'CRELEASES', user: 'UALICE', text: 'hi' });
    unsubscribe();
    store.postMessage({ channel: 'CRELEASES', user: 'UALICE', text: 'again' });
    expect(got).toEqual(['message']);
  });

  it('threads a reply to a reply onto the root, as Slack does', () => {
    const store = new WorkspaceStore();
    const root = store.postMessage({ channel: 'CRELEASES', user: 'UBOT', text: 'root' });
    const first = store.postMessage({
      channel: 'CRELEASES',
      user: 'UBOB',
      text: 'first',
      thread_ts: root.ts,
    });
    const second = store.postMessage({
      channel: 'CRELEASES',
      user: 'UCAROL',
      text: 'second',
      thread_ts: first.ts,
    });
    expect(second.thread_ts).toBe(root.ts);
    expect(store.replies('CRELEASES', first.ts).map((m) => m.text)).toEqual(['root', 'first', 'second']);
    expect(store.message('CRELEASES', root.ts)?.reply_users).toEqual(['UBOB', 'UCAROL']);
  });
});

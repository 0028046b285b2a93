import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebClient } from '@slack/web-api';
import { expectSlackError, startFakeSlackWithClient, type FakeSlack } from '../../helpers/fake-slack.ts';

let slack: FakeSlack;
let client: WebClient;
beforeEach(async () => ({ slack, client } = await startFakeSlackWithClient()));
afterEach(() => slack.close());

const POSTMORTEM = '# Postmortem: checkout errors after v1.2.3\n\n## Timeline\n- 10:02 rollback\n';

describe('files upload v2', () => {
  it('runs WebClient.files.uploadV2 end to end: URL, bytes, completion, message in the thread', async () => {
    const card = await client.chat.postMessage({ channel: 'CINCIDENTS', text: 'incident' });
    const result = await client.files.uploadV2({
      channel_id: 'CINCIDENTS',
      thread_ts: card.ts ?? '',
      filename: 'postmortem.md',
      title: 'Postmortem draft',
      content: POSTMORTEM,
      initial_comment: 'Postmortem draft attached',
    });
    expect(result.ok).toBe(true);
    const calls = slack.calls().map((c) => c.method);
    expect(calls).toEqual(['chat.postMessage', 'files.getUploadURLExternal', 'files.completeUploadExternal']);
    expect(slack.calls('files.getUploadURLExternal')[0]?.args).toMatchObject({
      filename: 'postmortem.md',
      length: String(Buffer.byteLength(POSTMORTEM)),
    });

    const [file] = slack.store.files.all();
    expect(file).toMatchObject({
      name: 'postmortem.md',
      title: 'Postmortem draft',
      size: Buffer.byteLength(POSTMORTEM),
      mimetype: 'text/markdown',
    });
    expect(file?.content.toString('utf8')).toBe(POSTMORTEM);

    const [reply] = slack.thread('CINCIDENTS', card.ts ?? '');
    expect(reply).toMatchObject({
      text: 'Postmortem draft attached',
      files: [{ id: file?.id, title: 'Postmortem draft' }],
    });

    const download = await fetch(`${slack.url}/files/${file?.id}/postmortem.md`);
    expect(await download.text()).toBe(POSTMORTEM);
  });

  it('answers getUploadURLExternal with an upload_url on this server and a file id', async () => {
    const answer = await client.files.getUploadURLExternal({ filename: 'audit.jsonl', length: 3 });
    expect(answer.file_id).toMatch(/^F[A-Z0-9]+$/);
    expect(answer.upload_url).toBe(`${slack.url}/upload/v1/${answer.file_id}`);
    const upload = await fetch(answer.upload_url ?? '', { method: 'POST', body: 'abc' });
    expect([upload.status, await upload.text()]).toEqual([200, 'OK - 3']);
    const done = await client.files.completeUploadExternal({
      files: [{ id: answer.file_id ?? '', title: 'Audit' }],
    });
    expect(done.files?.[0]).toMatchObject({ id: answer.file_id, title: 'Audit', size: 3, channels: [] });
  });

  it('refuses to complete a file whose bytes never arrived, or an unknown one', async () => {
    const answer = await client.files.getUploadURLExternal({ filename: 'x.txt', length: 3 });
    await expectSlackError(
      client.files.completeUploadExternal({ files: [{ id: answer.file_id ?? '' }] }),
      'file_upload_not_complete',
    );
    await expectSlackError(
      client.files.completeUploadExternal({ files: [{ id: 'F0NOPE' }] }),
      'file_not_found',
    );
  });
});

// The Slack side of the insight jobs: a note in the release thread, a chart uploaded under the card.
import type { WebClient } from '@slack/web-api';
import type { InsightThread } from '../insight/service.ts';
import type { Release } from '../release/types.ts';
import { uploadToThread } from './upload-file.ts';
import { chartComment, chartReason, noChangelogText, threadUrl } from './views/insight.ts';

export function slackInsightThread(client: WebClient): InsightThread {
  const cardOf = (release: Release) => {
    if (!release.card) throw new Error(`release ${release.id} has no card to post under`);
    return release.card;
  };
  return {
    async note(release, note) {
      const card = cardOf(release);
      await client.chat.postMessage({
        channel: card.channel,
        thread_ts: card.ts,
        text: noChangelogText(note.reason),
        unfurl_links: false,
      });
    },
    async chart(release, png, why) {
      const card = cardOf(release);
      await uploadToThread(client, {
        channel: card.channel,
        threadTs: card.ts,
        filename: `canary-${release.id}-${why}.png`,
        title: `Canary chart: ${release.service} ${release.version} (${why === 'breach' ? 'breach' : 'completed'})`,
        content: png,
        comment: chartComment(release, why),
      });
    },
    chartReason,
    threadUrl: (release) => threadUrl(release.card),
  };
}

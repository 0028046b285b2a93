// The Slack side of the insight jobs: their typed notes rendered by views/insight.ts and queued through
// the delivery layer in the release thread (behind the card, in its channel's lane, at its pace, with
// its retries), and the chart PNG as a file post of that same lane. Keys are per release and note, so a
// repeated job queues nothing new.
import type { InsightThread } from '../insight/service.ts';
import type { Release } from '../release/types.ts';
import type { SlackDelivery } from './delivery/service.ts';
import type { Post } from './delivery/types.ts';
import { chartTitle, insightNoteText, threadUrl } from './views/insight.ts';

export interface InsightThreadDeps {
  delivery: SlackDelivery;
  /** Where the release's thread replies go; the card is queued first when it is not yet. */
  place(release: Release): Promise<{ channel: string; thread: Post['thread'] }>;
}

export function slackInsightThread(deps: InsightThreadDeps): InsightThread {
  return {
    async note(release, note) {
      const { channel, thread } = await deps.place(release);
      await deps.delivery.post({
        key: `${release.id}-insight-${note.kind}`,
        channel,
        ...(thread ? { thread } : {}),
        text: insightNoteText(note),
        // Said once, and something for the team to fix (a missing tag): never folded away.
        kind: 'important',
        foldKey: release.id,
      });
    },
    async chart(release, png, note, key) {
      const { channel, thread } = await deps.place(release);
      await deps.delivery.upload(
        {
          // Per chart (each breach has its own): a repeated job queues nothing new.
          key: `${release.id}-insight-${key}`,
          channel,
          ...(thread ? { thread } : {}),
          text: insightNoteText(note),
          kind: 'important',
          foldKey: release.id,
          file: { name: `canary-${release.id}-${note.why}.png`, title: chartTitle(note), bytes: png.length },
          audit: {
            action: 'chart.posted',
            releaseId: release.id,
            service: release.service,
            environment: release.environment,
            details: { why: note.why, samples: note.samples, bytes: png.length },
          },
        },
        png,
      );
    },
    threadUrl: (release) => threadUrl(release.card),
  };
}

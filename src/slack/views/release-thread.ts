// What the release's thread reads: one line (or a few) per thread note of src/release/notes.ts.
// Pure; the words, emoji and mentions of the thread live here, not in the machine.
import type { ThreadNote, StageEnd, RollbackStepName, DryRunStage } from '../../release/notes.ts';
import { formatDuration } from '../../config/duration.ts';
import { mention, withMentions } from '../people.ts';
import { permalink } from './format.ts';
import { defuseBroadcasts } from '../blockkit.ts';

/** The thread message for a note (mrkdwn). */
export function threadText(note: ThreadNote): string {
  return withMentions(render(note));
}

/**
 * A reason as people typed it (or a sentence quoting an action's output): &, < and > escaped, as on
 * the card, so `<!channel>` or a typed `<url|link>` stays text; Runway's user mentions stay live.
 */
const said = (text: string): string => defuseBroadcasts(text);

function render(n: ThreadNote): string {
  switch (n.kind) {
    case 'releaseStarted':
      return `${mention(n.requester)} started the release of *${n.service} ${n.version}* to ${n.environment}${
        n.hotfixReason ? ` as a hotfix: _${said(n.hotfixReason)}_` : ''
      }.`;
    case 'preflightFailed':
      return `:x: Pre-flight check *${n.title}* failed: ${n.detail ?? 'no detail'}${fenced(n.tail)}`;
    case 'preflightComplete':
      return ':white_check_mark: Pre-flight complete.';
    case 'awaitingApproval':
      return `Waiting for ${n.missing} more approval${n.missing === 1 ? '' : 's'}${
        n.approvers.length ? ` from ${n.approvers.map(mention).join(', ')}` : ''
      }.`;
    case 'approved':
      return `:white_check_mark: Approved by ${mention(n.by)} (${n.count}/${n.required}).`;
    case 'rejected':
      return `:no_entry: Rejected by ${mention(n.by)}${n.reason ? `: _${said(n.reason)}_` : ''}. Nothing was deployed.`;
    case 'stageStarted':
      return `:arrow_forward: Stage ${n.stage}/${n.total} started: *${n.label}*`;
    case 'confirmationAsked':
      return `:raised_hand: ${n.question} An approver, operator or the requester confirms with Promote.`;
    case 'holdOverWaiting': {
      const one = n.gates.length === 1;
      return `:hourglass: The hold is over but ${n.gates.join(', ')} ${one ? 'is' : 'are'} out of bounds; waiting for ${one ? 'it' : 'them'} to recover.`;
    }
    case 'stageSucceeded': {
      const end = n.end ? ` (${endWords(n.end)})` : '';
      const readings = n.readings.map((r) => `${r.gate} ${r.reading}`);
      return `:white_check_mark: Stage ${n.stage}/${n.total} done: *${n.label}*${end}${
        readings.length ? ` — ${readings.join('; ')}` : ''
      }`;
    }
    case 'released':
      return `:tada: *${n.service} ${n.version}* is live in ${n.environment}. The release handoff goes to on-call.${
        n.promoteTo?.length ? ` Next: ${n.promoteTo.join(', ')}.` : ''
      }`;
    case 'promotionStarted':
      return `:arrow_right: ${mention(n.by)} started this version in ${n.environment}: <${permalink(n.card)}|${n.environment} card>`;
    case 'actionFailed':
      return `:x: ${n.action} failed in stage ${n.stage} (${n.label}): ${n.summary}${fenced(n.tail)}`;
    case 'pausedOnFailure':
      return `:double_vertical_bar: Paused: ${said(n.reason)}. Resume to go on, or roll back.`;
    case 'paused':
      return `:double_vertical_bar: Paused by ${mention(n.by)}${n.reason ? `: _${said(n.reason)}_` : ''}. Timers are stopped; gates keep watching.`;
    case 'resumed':
      return `:arrow_forward: Resumed by ${mention(n.by)}.`;
    case 'actionResumed':
      return `:warning: The worker running *${n.action}* for ${n.what} stopped before it finished; running it again on another worker, with the same idempotency key so the target can tell it is a repeat.`;
    case 'aborted':
      return `:octagonal_sign: Aborted by ${mention(n.by)}${n.reason ? `: _${said(n.reason)}_` : ''}. Nothing was rolled back; traffic stays at ${n.traffic}%.`;
    case 'waitingForData':
      return `:hourglass_flowing_sand: Waiting for data from *${n.gate}*${n.error ? ` (${n.error})` : ''}: the hold's clock is stopped until it reports; after ${formatDuration(n.timeoutMs)} without data it is a breach.`;
    case 'dataReturned':
      return `:white_check_mark: Data from *${n.gate}* is back after ${formatDuration(n.waitedMs)}; the hold's clock runs again.`;
    case 'noDataTimedOut':
      return `:warning: Gate *${n.gate}* has had no data for ${formatDuration(n.timeoutMs)} (no_data_timeout): that is a breach; ${n.then === 'rollback' ? 'rolling back' : 'pausing'}.`;
    case 'gateBreached':
      return `:warning: Gate *${n.gate}* out of bounds: ${n.reading}${
        n.forMs > 0
          ? ` — ${n.then === 'rollback' ? 'rolling back' : 'pausing'} if it lasts ${formatDuration(n.forMs)}`
          : ''
      }.`;
    case 'gateRecovered':
      return `:large_green_circle: Gate *${n.gate}* back within bounds: ${n.reading}.`;
    case 'rollbackStarted':
      return `:rewind: ${n.automatic ? 'Automatic rollback' : `Rollback by ${mention(n.by)}`}${
        n.toVersion ? ` to ${n.toVersion}` : ''
      }: ${said(n.reason)}`;
    case 'rollbackStepStarted':
      return `:rewind: Rollback step: ${stepWords(n.step, n.command, n.undoOf)}…`;
    case 'rollbackStepDone':
      return `:white_check_mark: Rollback step done: ${stepWords(n.step, n.command, n.undoOf)}`;
    case 'rollbackStepFailed':
      return `:x: Rollback step failed: ${stepWords(n.step, n.command, n.undoOf)} — ${n.detail ?? 'no detail'}${fenced(n.tail)}`;
    case 'rollbackIncomplete':
      return `:rotating_light: *Rollback incomplete* — ${n.failed.join(', ')} failed. A human must take over.`;
    case 'rolledBack':
      return `:rewind: *Rolled back*${n.toVersion ? ` to ${n.toVersion}` : ''}. Reason: ${said(n.reason)}`;
    case 'dryRun':
      return dryRunText(n);
  }
}

/** An output tail in a code block on its own lines; a ``` inside it must not close the block early. */
function fenced(tail: string | undefined): string {
  const body = tail?.replace(/```/g, "'''").trim();
  return body ? `\n\`\`\`${body}\`\`\`` : '';
}

function endWords(end: StageEnd): string {
  if (end.how === 'confirmed') return `confirmed by ${mention(end.by)}`;
  return `promoted by ${mention(end.by)}${end.skippedMs ? `, ${formatDuration(end.skippedMs)} of hold skipped` : ''}`;
}

function stepWords(step: RollbackStepName, command: string, undoOf?: string): string {
  if (step === 'traffic') return 'traffic to 0%';
  if (step === 'verify') return 'smoke tests on the previous version';
  return undoOf === undefined ? `\`${command}\`` : `undo ${undoOf}: \`${command}\``;
}

function gateWords(g: DryRunStage['gates'][number]): string {
  if (typeof g === 'string') return g;
  const bounds = [g.min !== undefined ? `min ${g.min}` : '', g.max !== undefined ? `max ${g.max}` : '']
    .filter(Boolean)
    .join(', ');
  return `${g.name} (${bounds} for ${formatDuration(g.forMs)}, every ${formatDuration(g.everyMs)})`;
}

function dryRunText(n: Extract<ThreadNote, { kind: 'dryRun' }>): string {
  const lines = [
    `*Dry run* of ${n.service} ${n.version} to ${n.environment}: nothing is run, locked or changed.`,
  ];
  for (const warning of n.warnings) lines.push(`:warning: ${warning}`);
  for (const item of n.preflight) {
    lines.push(`• pre-flight *${item.title}*: ${item.manual ? 'manual tick' : `check \`${item.command}\``}`);
  }
  const { required, approvers } = n.approvals;
  lines.push(
    `• ${required} approval${required === 1 ? '' : 's'}${approvers.length ? ` from ${approvers.map(mention).join(', ')}` : ''}`,
  );
  n.stages.forEach((stage, i) => {
    const run = stage.command !== undefined ? ` — would run \`${stage.command}\`` : '';
    const gates = stage.gates.length ? `; gates ${stage.gates.map(gateWords).join(', ')}` : '';
    lines.push(`${i + 1}. ${stage.label}${run}${gates}`);
  });
  lines.push(
    `On breach: ${n.onBreach}${n.rollbackCommand !== undefined ? `; rollback would run \`${n.rollbackCommand}\`` : ''}.`,
    ...walkBackLines(n.walkBack),
  );
  return lines.join('\n');
}

/** Issue 12: the walk back a dry run would take, one numbered step a line. */
function walkBackLines(walk: Extract<ThreadNote, { kind: 'dryRun' }>['walkBack']): string[] {
  if (!walk || walk.length === 0) return [];
  return [
    '*A rollback would walk back:*',
    ...walk.map((s, i) => `${i + 1}. ${stepWords(s.step, s.command, s.undoOf)}`),
  ];
}

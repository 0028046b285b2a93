// The middle of the release card: pre-flight, approvals, stages (gates: card-gates.ts), and why it
// paused or rolled back. Each part returns blocks already cut to Block Kit's limits.
import type { ActionsBlock, KnownBlock, PlainTextOption, SectionBlock } from '@slack/types';
import type { PreflightRun, Release, RollbackProgress, StageRun } from '../../release/types.ts';
import { stageLabel } from '../../release/machine.ts';
import { waitingForDataNote } from './data-wait-text.ts';
import { LIMITS, defuseBroadcasts, escapeMrkdwn, truncate, truncateStart } from '../blockkit.ts';
import { actions, lineSections, section } from './blocks.ts';
import { ACTION_IDS, summary } from './card-actions.ts';
import { actorName, holdLeft } from './format.ts';

export const PREFLIGHT_TICK_BLOCK_ID = 'card-preflight-tick';

const STAGE_MARK: Record<StageRun['status'], string> = {
  done: '✅',
  running: '▶️',
  waiting: '⏳',
  failed: '❌',
  skipped: '⏭️',
};

/** The word beside each mark: the card reads the same where emoji do not show. */
const STAGE_WORD: Record<StageRun['status'], string> = {
  done: 'done',
  running: 'running',
  waiting: 'waiting',
  failed: 'failed',
  skipped: 'skipped',
};

const PREFLIGHT_MARK: Record<PreflightRun['status'], string> = {
  passed: '✅',
  running: '⏳',
  pending: '◻️',
  failed: '❌',
};

const TAIL_LINES = 15;

/**
 * A result or reason split into its words and its output tail. The engine writes a failed action's
 * detail as `summary\n\`\`\`tail\`\`\`` (and reasons quote such details, sometimes mid-sentence:
 * "rollback failed (exit 1\n\`\`\`…\`\`\`)."), so fenced parts are the tail and the rest is the
 * summary. Without fences the first line is the summary and the other lines the tail.
 */
export function splitOutput(text: string): { summary: string; tails: string[] } {
  const tails: string[] = [];
  const rest = text.replace(/[ \t]*\n?```([\s\S]*?)```/g, (_m, body: string) => {
    if (body.trim()) tails.push(body.trim());
    return '';
  });
  if (tails.length > 0 || rest !== text) {
    return {
      summary: rest
        .replace(/\s*\n\s*/g, ' ')
        .replace(/```/g, "'''")
        .trim(),
      tails,
    };
  }
  const [first = '', ...lines] = text.split('\n');
  const tail = lines.join('\n').trim();
  return { summary: first, tails: tail ? [tail] : [] };
}

/** A code block holding the end of some output, at most 15 lines (the tail explains a failure). */
export function codeTail(text: string, max: number): string {
  const lines = text.replace(/```/g, "'''").trim().split('\n');
  const tail = lines.length > TAIL_LINES ? ['…', ...lines.slice(-TAIL_LINES)] : lines;
  const body = truncateStart(escapeMrkdwn(tail.join('\n')), Math.max(0, max - 6));
  return body ? `\`\`\`${body}\`\`\`` : '';
}

/**
 * A reason in a sentence, its output tail once, in one code block under it. `shown` are tails the
 * card already prints elsewhere (the rollback's reason, a failed step): they are not repeated.
 */
export function reasonText(reason: string, max: number, shown: readonly string[] = []): string {
  const { summary, tails } = splitOutput(reason);
  const head = truncate(defuseBroadcasts(summary), Math.min(max, 600));
  const tail = tails.filter((t) => !shown.includes(t)).join('\n…\n');
  return tail ? `${head}\n${codeTail(tail, Math.max(0, max - head.length - 1))}` : head;
}

export const preflightOpen = (r: Release): boolean =>
  r.state === 'preflight' || r.state === 'awaiting_approval';

// ---- pre-flight ----------------------------------------------------------------------------------

export function preflightBlocks(r: Release): KnownBlock[] {
  if (r.preflight.length === 0) return [];
  const open = preflightOpen(r);
  const lines = r.preflight.filter((p) => !open || !p.manual).map(preflightLine);
  const manual = r.preflight.filter((p) => p.manual);
  const title = open && manual.length > 0 ? '*Pre-flight* (tick the manual items below)' : '*Pre-flight*';
  const blocks: KnownBlock[] =
    lines.length > 0 || manual.length === 0
      ? lineSections(title, lines, 'card-preflight', 600)
      : [section(title, 'card-preflight')];
  if (open) blocks.push(...tickBlocks(manual));
  return blocks;
}

function preflightLine(p: PreflightRun): string {
  const title = `${truncate(escapeMrkdwn(p.title), 200)}${p.required ? '' : ' _(optional)_'}`;
  if (p.manual) {
    return p.status === 'passed'
      ? `☑️ ${title} — ticked${p.by ? ` by ${actorName(p.by)}` : ''}`
      : `◻️ ${title} — not ticked`;
  }
  const detail = p.detail ? `: ${truncate(escapeMrkdwn(p.detail.split('\n')[0] ?? ''), 300)}` : '';
  const words: Record<PreflightRun['status'], string> = {
    passed: 'passed',
    running: p.attempt > 1 ? `checking (attempt ${p.attempt})` : 'checking',
    pending: 'not checked yet',
    failed: 'failed',
  };
  return `${PREFLIGHT_MARK[p.status]} ${title} — ${words[p.status]}${detail}`;
}

/** The manual items as checkboxes, ten to a block: `card-preflight-tick`, `card-preflight-tick-2`… */
function tickBlocks(manual: PreflightRun[]): ActionsBlock[] {
  const blocks: ActionsBlock[] = [];
  for (let i = 0; i < manual.length; i += LIMITS.checkboxOptions) {
    const chunk = manual.slice(i, i + LIMITS.checkboxOptions);
    const options = chunk.map(tickOption);
    const initial = options.filter((_, k) => chunk[k]!.status === 'passed');
    const blockId =
      i === 0 ? PREFLIGHT_TICK_BLOCK_ID : `${PREFLIGHT_TICK_BLOCK_ID}-${i / LIMITS.checkboxOptions + 1}`;
    blocks.push(
      actions(
        [
          {
            type: 'checkboxes',
            action_id: ACTION_IDS.preflightTick,
            options,
            ...(initial.length ? { initial_options: initial } : {}),
          },
        ],
        blockId,
      ),
    );
  }
  return blocks;
}

function tickOption(p: PreflightRun): PlainTextOption {
  return {
    text: { type: 'plain_text', text: truncate(p.title, LIMITS.optionText) },
    value: p.id,
    ...(p.required ? {} : { description: { type: 'plain_text', text: 'optional' } }),
  };
}

/**
 * The ticks a checkboxes click means: Slack sends every option selected in that one block, so the
 * items of that block that changed are compared with the release.
 */
export function preflightTickChanges(
  r: Release,
  blockId: string,
  selected: readonly string[],
): { itemId: string; checked: boolean }[] {
  const match = new RegExp(`^${PREFLIGHT_TICK_BLOCK_ID}(?:-(\\d+))?$`).exec(blockId);
  if (!match) return [];
  const chunk = match[1] ? Number(match[1]) - 1 : 0;
  const manual = r.preflight.filter((p) => p.manual);
  const items = manual.slice(chunk * LIMITS.checkboxOptions, (chunk + 1) * LIMITS.checkboxOptions);
  return items
    .map((p) => ({ itemId: p.id, checked: selected.includes(p.id), was: p.status === 'passed' }))
    .filter((c) => c.checked !== c.was)
    .map(({ itemId, checked }) => ({ itemId, checked }));
}

// ---- approvals -----------------------------------------------------------------------------------

export function approvalsBlock(r: Release): SectionBlock | null {
  const { required } = r.plan.approvals;
  // A rollback of a finished release needs no approvals: it starts rolling back at once.
  if (r.kind === 'rollback' || (required === 0 && r.approvals.length === 0 && !r.rejection)) return null;
  const who = r.approvals.map((a) => actorName(a.user)).join(', ');
  let text = `*Approvals* ${r.approvals.length}/${required}${who ? `: ${who}` : ''}`;
  if (r.rejection) {
    const reason = r.rejection.reason ? `: ${truncate(escapeMrkdwn(r.rejection.reason), 500)}` : '';
    text += `\n🚫 Rejected by ${actorName(r.rejection.user)}${reason}`;
  }
  return section(text, 'card-approvals');
}

// ---- stages --------------------------------------------------------------------------------------

export function stagesBlocks(r: Release, now: Date): SectionBlock[] {
  if (r.kind === 'rollback' || r.stages.length === 0) return [];
  const lines = r.plan.stages.map((plan, i) => {
    const run = r.stages[i];
    const status = run?.status ?? 'waiting';
    const note = !run ? '' : i === r.stageIndex ? currentNote(r, run, now) : endedNote(run);
    return `${STAGE_MARK[status]} ${i + 1}. ${escapeMrkdwn(stageLabel(plan))} — ${note || STAGE_WORD[status]}`;
  });
  return lineSections('*Stages*', lines, 'card-stages', 400);
}

function currentNote(r: Release, run: StageRun, now: Date): string {
  const plan = r.plan.stages[r.stageIndex];
  if (run.status === 'failed') return run.detail ? failedNote(run.detail) : 'failed';
  if (run.status !== 'running' || !plan) return endedNote(run);
  if (run.phase === 'action') {
    const action = 'action' in plan && plan.action ? plan.action : stageLabel(plan);
    return `running \`${escapeMrkdwn(action)}\`${run.attempt > 1 ? ` (attempt ${run.attempt})` : ''}`;
  }
  if (run.phase === 'approval') {
    return `waiting for Promote${plan.kind === 'approval' ? `: _${escapeMrkdwn(truncate(plan.question, 200))}_` : ''}`;
  }
  const waiting = waitingForDataNote(r, run);
  if (waiting) return waiting;
  const left = holdLeft(r, now);
  if (left && left !== 'hold over')
    return left.startsWith('paused') ? left : `${r.state === 'paused' ? 'paused' : 'holding'}, ${left}`;
  if (plan.gates.length > 0) return 'hold over, waiting for gates';
  return r.state === 'paused' ? 'paused' : 'finishing';
}

/** Why a stage that is over did not end done: its failure, or who stopped it. */
function endedNote(run: StageRun): string {
  if (run.status === 'failed') return run.detail ? failedNote(run.detail) : '';
  if (run.status === 'skipped' && run.stopped) return stoppedNote(run.stopped);
  return '';
}

/** "failed: exit 1 in 0.4s", "failed: gate error_rate: 0.05 > max 0.005 for 5m (allowed 5m)". */
function failedNote(detail: string): string {
  return `failed: ${truncate(escapeMrkdwn(splitOutput(detail).summary), 200)}`;
}

/** "stopped: aborted by <@U…> (wrong build)": cut short by a person, not failed. */
function stoppedNote(stopped: NonNullable<StageRun['stopped']>): string {
  const what = stopped.how === 'abort' ? 'aborted' : 'rolled back';
  const why = stopped.reason ? ` (${truncate(escapeMrkdwn(stopped.reason.replace(/\s+/g, ' ')), 200)})` : '';
  return `stopped: ${what} by ${actorName(stopped.by)}${why}`;
}

// ---- why it stopped, and how it ended ---------------------------------------------------------------

export function pauseBlock(r: Release): SectionBlock | null {
  if (r.state !== 'paused' || !r.pause) return null;
  // A pause without a reason is given "paused by <@U…>" as its reason: saying who twice says nothing.
  const why = r.pause.reason.trim() === `paused by ${actorName(r.pause.by)}` ? '' : r.pause.reason;
  return section(
    `*Paused* by ${actorName(r.pause.by)}\n*Why:* ${why ? reasonText(why, 2500) : '_no reason given_'}`,
    'card-pause',
  );
}

function stepWords(r: Release, step: RollbackProgress['steps'][number]): string {
  if (step.name === 'traffic') return 'traffic to 0%';
  if (step.name === 'verify') return 'smoke tests on the previous version';
  const command = `${summary(r, step.action)}${step.flagOff ? ' off' : ''}`;
  const code = `\`${truncate(command.replace(/`/g, "'"), 160)}\``;
  return step.label === undefined ? code : `undo ${escapeMrkdwn(truncate(step.label, 100))}: ${code}`;
}

export function rollbackBlocks(r: Release): SectionBlock[] {
  const rb = r.rollback;
  if (!rb) return [];
  const who = rb.automatic ? 'automatic' : `by ${actorName(rb.by)}`;
  const title = `*Rollback* (${who})${rb.toVersion ? ` to ${rb.toVersion}` : ''}\n*Why:* ${reasonText(rb.reason, 1200)}`;
  const lines = rb.steps.map((step) => {
    const line = `${STAGE_MARK[step.status]} ${stepWords(r, step)}`;
    if (!step.detail) return `${line} — ${STAGE_WORD[step.status]}`;
    if (step.status !== 'failed')
      return `${line} — ${truncate(escapeMrkdwn(splitOutput(step.detail).summary), 200)}`;
    if (!step.detail.includes('```')) return `${line}\n${codeTail(step.detail, 600)}`;
    // The engine's "summary\n```tail```": the summary on the line, the tail once in a code block.
    const { summary, tails } = splitOutput(step.detail);
    const tail = tails.length ? `\n${codeTail(tails.join('\n…\n'), 600)}` : '';
    return `${line} — ${truncate(escapeMrkdwn(summary), 200)}${tail}`;
  });
  if (lines.length === 0) lines.push('_No traffic or rollback action in the runbook: nothing to run._');
  return lineSections(truncate(title, 2000), lines, 'card-rollback', 1000);
}

export function outcomeBlock(r: Release): SectionBlock | null {
  if (!r.outcome) return null;
  // The outcome often quotes the rollback's reason or a failed step: their tails are on the card already.
  const shown = r.rollback
    ? [r.rollback.reason, ...r.rollback.steps.map((s) => s.detail ?? '')].flatMap((t) => splitOutput(t).tails)
    : [];
  return section(`*Outcome:* ${reasonText(r.outcome, 2500, shown)}`, 'card-outcome');
}

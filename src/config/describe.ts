// Plans in words, for `runway check`, dry runs and cards:
// deploy → 10% (hold 30m; gates error_rate, p99_latency) → approval "Promote to 100%?" → 100% → smoke
import type { PlannedStage, ReleasePlan } from '../release/types.ts';
import { formatDuration } from './duration.ts';

export function describeStage(stage: PlannedStage): string {
  const details: string[] = [];
  if ((stage.kind === 'traffic' || stage.kind === 'run' || stage.kind === 'flag') && stage.holdMs > 0) {
    details.push(`hold ${formatDuration(stage.holdMs)}`);
  }
  if (stage.gates.length > 0) details.push(`gates ${stage.gates.join(', ')}`);
  const suffix = details.length > 0 ? ` (${details.join('; ')})` : '';
  switch (stage.kind) {
    case 'deploy':
    case 'smoke':
      return `${stage.kind}${suffix}`;
    case 'traffic':
      return `${stage.percent}%${suffix}`;
    case 'approval':
      return `approval "${stage.question}"${suffix}`;
    case 'bake':
      return `bake ${formatDuration(stage.holdMs)}${suffix}`;
    case 'run':
      return `run ${stage.action}${suffix}`;
    case 'flag':
      return `flag ${stage.action} ${stage.percent}%${suffix}`;
  }
}

export function describeStages(stages: readonly PlannedStage[]): string {
  return stages.map(describeStage).join(' → ');
}

/** "2 of S0SRETEAM, U123 (not the requester)", "1 of anyone but the requester". */
export function describeApprovals(approvals: ReleasePlan['approvals']): string {
  const who = approvals.approvers.length > 0 ? approvals.approvers.join(', ') : 'anyone';
  const self = approvals.allowSelfApproval ? 'the requester may approve' : 'not the requester';
  const head = approvals.required === 0 ? 'none required' : `${approvals.required} of ${who} (${self})`;
  return approvals.operators.length > 0 ? `${head}; operators ${approvals.operators.join(', ')}` : head;
}

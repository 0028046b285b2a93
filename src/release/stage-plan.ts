// Facts about a planned stage (its label, its action, its hold) and the key of a stage's action run.
import type { PlannedStage, Release } from './types.ts';
import type { TemplateVars } from '../config/template.ts';
import { formatDuration } from '../config/duration.ts';

export function stageLabel(stage: PlannedStage): string {
  switch (stage.kind) {
    case 'deploy':
      return 'deploy';
    case 'smoke':
      return 'smoke tests';
    case 'traffic':
      return `traffic ${stage.percent}%${stage.holdMs ? `, hold ${formatDuration(stage.holdMs)}` : ''}`;
    case 'approval':
      return `approval: ${stage.question}`;
    case 'bake':
      return `bake ${formatDuration(stage.holdMs)}`;
    case 'run':
      return `run ${stage.action}${stage.holdMs ? `, hold ${formatDuration(stage.holdMs)}` : ''}`;
  }
}

export function stageAction(stage: PlannedStage): string | null {
  switch (stage.kind) {
    case 'deploy':
    case 'smoke':
    case 'run':
    case 'traffic':
      return stage.action;
    default:
      return null;
  }
}

export function holdOf(stage: PlannedStage): number {
  return stage.kind === 'traffic' || stage.kind === 'bake' || stage.kind === 'run' ? stage.holdMs : 0;
}

export function stageKey(r: Pick<Release, 'id'>, index: number, attempt: number): string {
  return `${r.id}-s${index}-a${attempt}`;
}

/** The template values every action of this release sees. */
export function templateVars(r: Release): TemplateVars {
  return {
    version: r.version,
    previous_version: r.previousVersion,
    service: r.service,
    environment: r.environment,
    release_id: r.id,
    requester: r.requester,
  };
}

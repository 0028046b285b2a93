// Facts about a planned stage (its label, its action, its hold) and the key of a stage's action run.
import type { PlannedStage, Release } from './types.ts';
import type { TemplateVars } from '../config/template.ts';
import { formatDuration } from '../config/duration.ts';

export function stageLabel(stage: PlannedStage): string {
  if (stage.name) return stage.name;
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
    case 'flag':
      return `flag ${stage.action} ${stage.percent}%${stage.holdMs ? `, hold ${formatDuration(stage.holdMs)}` : ''}`;
  }
}

/** The template values (and, for a flag, the switch) a stage's action runs with. */
export function stageVars(stage: PlannedStage): { percent?: number; flag?: 'on' } {
  if (stage.kind === 'traffic') return { percent: stage.percent };
  if (stage.kind === 'flag') return { percent: stage.percent, flag: 'on' };
  return {};
}

export function stageAction(stage: PlannedStage): string | null {
  switch (stage.kind) {
    case 'deploy':
    case 'smoke':
    case 'run':
    case 'traffic':
    case 'flag':
      return stage.action;
    default:
      return null;
  }
}

export function holdOf(stage: PlannedStage): number {
  return stage.kind === 'traffic' || stage.kind === 'bake' || stage.kind === 'run' || stage.kind === 'flag'
    ? stage.holdMs
    : 0;
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

// Delivery figures in Slack: the `/release stats` reply and the App Home section. Pure.
import type { KnownBlock } from '@slack/types';
import { formatDuration } from '../../config/duration.ts';
import type { DeliveryFigures, DeliveryReport } from '../../insight/stats.ts';
import { LIMITS, escapeMrkdwn, truncate } from '../blockkit.ts';
import { context, fitLines, header, section } from './blocks.ts';

export function statsText(report: DeliveryReport, service?: string): string {
  const head = `*Delivery figures, last ${report.days} day${report.days === 1 ? '' : 's'}* (since ${report.since.slice(0, 10)}, from the audit log)`;
  if (service) {
    const figures = report.services[service];
    return `${head}\n*${escapeMrkdwn(service)}*\n${figures ? figureLines(figures).join('\n') : '_No releases in this window._'}`;
  }
  const lines = [head, '*All services*', ...figureLines(report.overall)];
  for (const [name, figures] of Object.entries(report.services))
    lines.push(`*${escapeMrkdwn(name)}*: ${figureSummary(figures)}`);
  if (Object.keys(report.services).length === 0) lines.push('_No releases in this window._');
  return truncate(lines.join('\n'), LIMITS.messageText);
}

/** The Home tab's section: overall, then one line per service. */
export function statsHomeBlocks(report: DeliveryReport): KnownBlock[] {
  const services = Object.entries(report.services).map(
    ([name, f]) => `• *${escapeMrkdwn(name)}*: ${figureSummary(f)}`,
  );
  return [
    { type: 'divider', block_id: 'home-divider-stats' },
    header(`Delivery, last ${report.days} days`, 'home-stats-header'),
    section(figureLines(report.overall).join('\n'), 'home-stats-overall'),
    section(
      services.length
        ? fitLines(services, LIMITS.sectionText, (n) => `…and ${n} more: \`/release stats\``)
        : '_No releases in this window._',
      'home-stats-services',
    ),
    context(
      ['Dry runs and rollback releases are not deployments · `/release stats [service] [--days N]`'],
      'home-stats-context',
    ),
  ];
}

export function figureLines(f: DeliveryFigures): string[] {
  return [
    `• Deployments: *${f.deployments}* (${perDay(f.deploymentsPerDay)})`,
    `• Change failure rate: *${percent(f.changeFailureRate)}*${f.changes ? ` (${f.failedChanges} of ${f.changes} changes rolled back or followed by an incident)` : ''}`,
    `• Time to restore: *${duration(f.timeToRestoreMs)}*${f.restores ? ` (median of ${f.restores})` : ''}`,
    `• Lead time for changes: *${duration(f.leadTimeMs)}*${f.leadTimeSamples ? ` (median of ${f.leadTimeSamples}, oldest new commit → live)` : ' (needs a changelog)'}`,
    `• Rollbacks prevented by gates: *${f.rollbacksPreventedByGates}*`,
  ];
}

function figureSummary(f: DeliveryFigures): string {
  return [
    `${f.deployments} deployments (${perDay(f.deploymentsPerDay)})`,
    `failure rate ${percent(f.changeFailureRate)}`,
    `restore ${duration(f.timeToRestoreMs)}`,
    `lead time ${duration(f.leadTimeMs)}`,
    `${f.rollbacksPreventedByGates} caught by gates`,
  ].join(' · ');
}

function perDay(value: number): string {
  return value >= 1 || value === 0
    ? `${Number(value.toFixed(1))}/day`
    : `${Number((value * 7).toFixed(1))}/week`;
}

function percent(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 1000) / 10}%`;
}

function duration(ms: number | null): string {
  return ms === null ? '—' : formatDuration(ms);
}

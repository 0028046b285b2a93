// Incident channel names: `inc-YYYYMMDD-<slug>`, within Slack's rules (lowercase a–z, 0–9, - and _,
// at most 80 characters). The slug comes from the title; a name Slack says is taken gets -2, -3, …
// and the suffix always fits: the slug is cut to make room for it.

/** Slack refuses channel names longer than this (invalid_name_maxlength). */
export const MAX_CHANNEL_NAME = 80;
export const DEFAULT_PREFIX = 'inc';
const MAX_PREFIX = 20;

/** Lowercase a–z, 0–9 and single dashes; accents are dropped (é → e), anything else is a dash. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** YYYYMMDD of the instant, in UTC (the same day whichever process or timezone declares it). */
export function incidentDay(now: Date): string {
  return now.toISOString().slice(0, 10).replace(/-/g, '');
}

export interface ChannelNameInput {
  title: string;
  now: Date;
  /** From the runbook's `incidents.channel_prefix`. */
  prefix?: string;
  /** 1 for the first try; 2, 3, … after `name_taken`. */
  attempt?: number;
}

export function incidentChannelName(input: ChannelNameInput): string {
  const prefix =
    slugify(input.prefix ?? DEFAULT_PREFIX)
      .slice(0, MAX_PREFIX)
      .replace(/-+$/, '') || DEFAULT_PREFIX;
  const attempt = input.attempt ?? 1;
  const suffix = attempt > 1 ? `-${attempt}` : '';
  const head = `${prefix}-${incidentDay(input.now)}-`;
  const room = MAX_CHANNEL_NAME - head.length - suffix.length;
  const slug = slugify(input.title).slice(0, room).replace(/-+$/, '') || 'incident';
  return `${head}${slug}${suffix}`;
}

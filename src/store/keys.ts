// Every Redis key Runway's store uses, built in one place from a prefix, so a test can isolate itself
// with `test-<uuid>` and a reader can see the whole layout at a glance. Lua scripts never build keys:
// they receive them from here.

export const DEFAULT_PREFIX = 'runway';

export interface StoreKeys {
  readonly prefix: string;
  /** HASH { rev, json }: one release. */
  release(id: string): string;
  /** STRING holding the active release id: the one-release-per-service-and-environment lock. */
  active(service: string, environment: string): string;
  /** SET of release ids that are not final yet. */
  activeSet(): string;
  /** ZSET of finished release ids, scored by endedAt (ms). */
  history(): string;
  /** ZSET like history(), for one service. */
  serviceHistory(service: string): string;
  /** STRING: the version last deployed to a service/environment. */
  deployed(service: string, environment: string): string;
  /** HASH scope ('all' or a service) → JSON { by, reason, at }. */
  freeze(): string;
  /** STREAM of audit entries (field `json`). */
  audit(): string;
  /** LIST of audit stream ids that name a release. */
  auditByRelease(releaseId: string): string;
  /** LIST of audit stream ids that name an incident. */
  auditByIncident(incidentId: string): string;
  /** SET of release ids with effects not yet handed to the queue. */
  outbox(): string;
  /** LIST of JSON batches { batchId, effects } for one release. */
  releaseOutbox(releaseId: string): string;
  /** HASH: one action run's exactly-once bookkeeping. */
  actionRun(key: string): string;
  /** STRING set with NX EX: first-seen markers for Slack retries and double clicks. */
  dedupe(key: string): string;
  /** STRING: a request to stop a running action (rollback, abort); the step polls it. */
  cancel(actionKey: string): string;
  /** LIST of JSON notifications waiting to be delivered, in order, for one release. */
  notifyList(releaseId: string): string;
  /** SET of release ids whose notification list is not empty (the sweep looks for stuck ones). */
  notifyPending(): string;
  /** STRING lock: one process delivers a release's notifications at a time. */
  notifyLock(releaseId: string): string;
  /** STRING lock: one process dispatches a release's outbox at a time. */
  flushLock(releaseId: string): string;
  /** STRING: a notification already delivered (dropped if it comes again). */
  delivered(notificationKey: string): string;
  /** STRING counter: failed deliveries of one notification that retrying cannot fix. */
  notifyFailures(notificationKey: string): string;
  /** HASH { rev, json }: one incident (its id is its channel name). */
  incident(id: string): string;
  /** ZSET of open incident ids, scored by startedAt (ms). */
  openIncidents(): string;
  /** STRING: the incident whose channel this is. */
  incidentByChannel(channelId: string): string;
  /** STRING: the automatic incident of a release (`pending` while it is being declared). */
  releaseIncident(releaseId: string): string;
  /** STRING: when the last shift handoff was posted (ISO). */
  handoffLast(): string;
  /** STRING: the scheduled handoff of this slot (ISO) was posted. */
  handoffSlot(slot: string): string;
  /** STRING: the release handoff of this release was posted. */
  releaseHandoff(releaseId: string): string;
  /** ZSET of due gate samples (member release/gate/epoch/seq, score due ms or claim expiry). */
  gateSchedule(): string;
  /** ZSET of coalesced card refreshes (member release id, score due ms or claim expiry). */
  cardRefreshes(): string;
  /** STRING JSON: the release's changelog, or why it has none (insight/changelog). */
  changelog(releaseId: string): string;
  /** ZSET of JSON gate samples of a release by time (ms), capped (insight/samples). */
  gateSamples(releaseId: string): string;
  /** STRING: the GitHub deployment id of a release. */
  githubDeployment(releaseId: string): string;
  /** STRING: the GitHub deployment id live in a repository's environment (the one to mark inactive). */
  githubLive(repo: string, environment: string): string;
  /** STRING set with NX: one insight side effect (a thread note, a chart upload) was done. */
  insightDone(releaseId: string, what: string): string;
}

export function storeKeys(prefix: string = DEFAULT_PREFIX): StoreKeys {
  const p = prefix;
  return {
    prefix: p,
    release: (id) => `${p}:release:${id}`,
    active: (service, environment) => `${p}:active:${service}:${environment}`,
    activeSet: () => `${p}:active-set`,
    history: () => `${p}:history`,
    serviceHistory: (service) => `${p}:history:${service}`,
    deployed: (service, environment) => `${p}:deployed:${service}:${environment}`,
    freeze: () => `${p}:freeze`,
    audit: () => `${p}:audit`,
    auditByRelease: (releaseId) => `${p}:audit:release:${releaseId}`,
    auditByIncident: (incidentId) => `${p}:audit:incident:${incidentId}`,
    outbox: () => `${p}:outbox`,
    releaseOutbox: (releaseId) => `${p}:outbox:${releaseId}`,
    actionRun: (key) => `${p}:action:${key}`,
    dedupe: (key) => `${p}:dedupe:${key}`,
    cancel: (key) => `${p}:cancel:${key}`,
    notifyList: (id) => `${p}:notify:${id}`,
    notifyPending: () => `${p}:notify-pending`,
    notifyLock: (id) => `${p}:lock:notify:${id}`,
    flushLock: (id) => `${p}:lock:flush:${id}`,
    delivered: (key) => `${p}:delivered:${key}`,
    notifyFailures: (key) => `${p}:notify-failures:${key}`,
    incident: (id) => `${p}:incident:${id}`,
    openIncidents: () => `${p}:incidents:open`,
    incidentByChannel: (channelId) => `${p}:incident-channel:${channelId}`,
    releaseIncident: (releaseId) => `${p}:release-incident:${releaseId}`,
    handoffLast: () => `${p}:handoff:last`,
    handoffSlot: (slot) => `${p}:handoff-slot:${slot}`,
    releaseHandoff: (releaseId) => `${p}:handoff:release:${releaseId}`,
    gateSchedule: () => `${p}:gate-schedule`,
    cardRefreshes: () => `${p}:card-refreshes`,
    changelog: (releaseId) => `${p}:changelog:${releaseId}`,
    gateSamples: (releaseId) => `${p}:gate-sampleset:${releaseId}`,
    githubDeployment: (releaseId) => `${p}:github-deployment:${releaseId}`,
    githubLive: (repo, environment) => `${p}:github-live:${repo}:${environment}`,
    insightDone: (releaseId, what) => `${p}:insight-done:${releaseId}:${what}`,
  };
}

// Incidents in Redis: one HASH { rev, json } each, the set of open ones, and two indexes (channel →
// incident, release → its automatic incident). Creation is SET-NX-like (a second create of the same id
// writes nothing) and every change is a compare-and-set on `rev`, as releases are saved.
import type { Redis } from 'ioredis';
import type { StoreKeys } from '../store/keys.ts';
import { isOpen, type Incident } from './types.ts';

const CREATE = `
-- Input: KEYS[1] incident hash, KEYS[2] open zset, KEYS[3] channel index, KEYS[4] release index (optional)
--        ARGV[1] json, ARGV[2] id, ARGV[3] startedAt ms
-- Output: 1 created, 0 an incident with this id exists (nothing written)
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'rev', '1', 'json', ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
redis.call('SET', KEYS[3], ARGV[2])
if KEYS[4] then redis.call('SET', KEYS[4], ARGV[2]) end
return 1`;

const SAVE = `
-- Input: KEYS[1] incident hash, KEYS[2] open zset; ARGV[1] expected rev, ARGV[2] json, ARGV[3] id,
--        ARGV[4] '1' when the incident is resolved
-- Output: 1 saved, 0 the stored rev differs (nothing written)
if redis.call('HGET', KEYS[1], 'rev') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'rev', tostring(tonumber(ARGV[1]) + 1), 'json', ARGV[2])
if ARGV[4] == '1' then redis.call('ZREM', KEYS[2], ARGV[3]) end
return 1`;

/** The release-index value while its automatic incident is being declared. */
export const PENDING = 'pending';

const MAX_WRITE_ATTEMPTS = 20;

export type Mutation = Incident | { refused: string };

export class IncidentStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: StoreKeys,
  ) {}

  async get(id: string): Promise<Incident | null> {
    const [rev, json] = await this.redis.hmget(this.keys.incident(id), 'rev', 'json');
    if (rev === null || json === null || rev === undefined || json === undefined) return null;
    return { ...(JSON.parse(json) as Incident), rev: Number(rev) };
  }

  async exists(id: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.incident(id))) === 1;
  }

  async byChannel(channelId: string): Promise<Incident | null> {
    const id = await this.redis.get(this.keys.incidentByChannel(channelId));
    return id ? this.get(id) : null;
  }

  /** Open incidents, oldest first. */
  async listOpen(): Promise<Incident[]> {
    const ids = await this.redis.zrange(this.keys.openIncidents(), 0, -1);
    const all = await Promise.all(ids.map((id) => this.get(id)));
    return all.filter((i): i is Incident => i !== null && isOpen(i));
  }

  /**
   * Claims the automatic incident of a release: 'claimed' for the first caller, else what the index
   * holds (the incident id, or PENDING while another attempt declares it).
   */
  async claimRelease(releaseId: string): Promise<'claimed' | { existing: string }> {
    const key = this.keys.releaseIncident(releaseId);
    if ((await this.redis.set(key, PENDING, 'NX')) === 'OK') return 'claimed';
    return { existing: (await this.redis.get(key)) ?? PENDING };
  }

  /** Writes a new incident; false (writing nothing) when one with this id exists. */
  async create(incident: Incident): Promise<boolean> {
    const keys = [
      this.keys.incident(incident.id),
      this.keys.openIncidents(),
      this.keys.incidentByChannel(incident.channelId),
      ...(incident.release ? [this.keys.releaseIncident(incident.release.id)] : []),
    ];
    const { rev: _rev, ...body } = incident;
    const reply = await this.redis.eval(
      CREATE,
      keys.length,
      ...keys,
      JSON.stringify(body),
      incident.id,
      String(Date.parse(incident.startedAt)),
    );
    return reply === 1;
  }

  /**
   * Applies `change` to the stored incident with compare-and-set, retrying on a concurrent write.
   * `change` returns the new incident, or `{ refused }` to write nothing (e.g. already resolved).
   */
  async mutate(
    id: string,
    change: (current: Incident) => Mutation,
  ): Promise<{ ok: true; incident: Incident; before: Incident } | { ok: false; reason: string }> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.get(id);
      if (!current) return { ok: false, reason: `There is no incident ${id}.` };
      const next = change(structuredClone(current));
      if ('refused' in next) return { ok: false, reason: next.refused };
      const { rev: _rev, ...body } = next;
      const reply = await this.redis.eval(
        SAVE,
        2,
        this.keys.incident(id),
        this.keys.openIncidents(),
        String(current.rev),
        JSON.stringify(body),
        id,
        isOpen(next) ? '0' : '1',
      );
      if (reply === 1) return { ok: true, incident: { ...next, rev: current.rev + 1 }, before: current };
    }
    throw new Error(`incident ${id}: gave up after ${MAX_WRITE_ATTEMPTS} conflicting writes`);
  }
}

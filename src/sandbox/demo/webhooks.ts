// The demo runbook's webhooks, as pure changes to the demo world: deploy, traffic and rollback move the
// blue/green split; migrate and migrate/down move the database schema. Each answers what the world
// looks like afterwards, or a 400 naming the body it expected.
import { z } from 'zod';
import { migrateDown, migrateUp, type DatabaseState } from './database-model.ts';
import { deploy, rollback, shift, type TrafficState } from './traffic-model.ts';

export interface DemoWorld {
  traffic: TrafficState;
  database: DatabaseState;
}

export interface WebhookAnswer {
  status: number;
  body: unknown;
  world?: DemoWorld;
}

const versionBody = z.object({ version: z.string().min(1).max(100) });
const trafficBody = z.object({ percent: z.coerce.number().min(0).max(100) });
const rollbackBody = z.object({ version: z.string().max(100).nullish() });

export function applyWebhook(path: string, body: unknown, world: DemoWorld): WebhookAnswer {
  const traffic = (next: TrafficState): WebhookAnswer => ({
    status: 200,
    body: next,
    world: { ...world, traffic: next },
  });
  const database = (next: DatabaseState): WebhookAnswer => ({
    status: 200,
    body: next,
    world: { ...world, database: next },
  });
  const bad = (expected: string): WebhookAnswer => ({ status: 400, body: { error: `expected ${expected}` } });
  switch (path) {
    case '/deploy': {
      const input = versionBody.safeParse(body);
      return input.success ? traffic(deploy(world.traffic, input.data.version)) : bad('{"version": "…"}');
    }
    case '/traffic': {
      const input = trafficBody.safeParse(body);
      return input.success ? traffic(shift(world.traffic, input.data.percent)) : bad('{"percent": 0..100}');
    }
    case '/rollback': {
      const input = rollbackBody.safeParse(body);
      return input.success
        ? traffic(rollback(world.traffic, input.data.version ?? null))
        : bad('{"version": "…"}');
    }
    case '/migrate': {
      const input = versionBody.safeParse(body);
      return input.success
        ? database(migrateUp(world.database, input.data.version))
        : bad('{"version": "…"}');
    }
    case '/migrate/down': {
      const input = versionBody.safeParse(body);
      return input.success
        ? database(migrateDown(world.database, input.data.version))
        : bad('{"version": "…"}');
    }
    default:
      return { status: 404, body: { error: 'not found' } };
  }
}

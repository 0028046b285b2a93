// The demo service's webhooks as pure changes to its world (issue 18 item 9): the database migration
// and its undo, next to the traffic split the demo already had.
import { describe, expect, it } from 'vitest';
import { initialDatabase, migrateDown, migrateUp } from '../../../src/sandbox/demo/database-model.ts';
import { applyWebhook, type DemoWorld } from '../../../src/sandbox/demo/webhooks.ts';

const world = (): DemoWorld => ({
  traffic: { stable: 'v1.2.0', canary: null, weight: 0 },
  database: initialDatabase(),
});

describe('the demo database', () => {
  it('migrates up for a version and back down for the same version', () => {
    const up = migrateUp(initialDatabase(), 'v1.3.0');
    expect(up).toEqual({ schema: 2, migrations: [{ version: 'v1.3.0', schema: 2 }] });
    const twice = migrateUp(migrateUp(up, 'v1.3.1-bad'), 'v1.3.1-bad');
    expect(twice.schema).toBe(3);
    expect(migrateDown(twice, 'v1.3.1-bad')).toEqual(up);
  });

  it('a repeated migration or undo changes nothing (at-least-once webhooks)', () => {
    const up = migrateUp(initialDatabase(), 'v1.3.0');
    expect(migrateUp(up, 'v1.3.0')).toBe(up);
    const down = migrateDown(up, 'v1.3.0');
    expect(down).toEqual(initialDatabase());
    expect(migrateDown(down, 'v1.3.0')).toBe(down);
  });

  it('an undo for a version whose migration is not the newest leaves the others alone', () => {
    const db = migrateUp(migrateUp(initialDatabase(), 'v1.3.0'), 'v1.4.0');
    expect(migrateDown(db, 'v1.3.0')).toBe(db);
  });
});

describe('the demo webhooks', () => {
  const table: {
    path: string;
    body: unknown;
    status: number;
    expect?: (w: DemoWorld) => unknown;
    is?: unknown;
  }[] = [
    {
      path: '/deploy',
      body: { version: 'v1.3.0' },
      status: 200,
      expect: (w) => w.traffic,
      is: { stable: 'v1.2.0', canary: 'v1.3.0', weight: 0 },
    },
    { path: '/migrate', body: { version: 'v1.3.0' }, status: 200, expect: (w) => w.database.schema, is: 2 },
    {
      path: '/migrate/down',
      body: { version: 'v1.3.0' },
      status: 200,
      expect: (w) => w.database.schema,
      is: 1,
    },
    {
      path: '/rollback',
      body: { version: 'v1.1.0' },
      status: 200,
      expect: (w) => w.traffic.stable,
      is: 'v1.1.0',
    },
    { path: '/migrate', body: {}, status: 400 },
    { path: '/migrate/down', body: { version: '' }, status: 400 },
    { path: '/traffic', body: { percent: 101 }, status: 400 },
    { path: '/nope', body: {}, status: 404 },
  ];
  for (const row of table) {
    it(`${row.path} ${JSON.stringify(row.body)} → ${row.status}`, () => {
      const answer = applyWebhook(row.path, row.body, world());
      expect(answer.status).toBe(row.status);
      if (row.expect) expect(row.expect(answer.world!)).toEqual(row.is);
      else expect(answer.world).toBeUndefined();
    });
  }

  it('a migration leaves the traffic as it was, and traffic leaves the database', () => {
    const migrated = applyWebhook('/migrate', { version: 'v1.3.0' }, world()).world!;
    expect(migrated.traffic).toEqual(world().traffic);
    const shifted = applyWebhook('/traffic', { percent: 10 }, migrated).world!;
    expect(shifted.database).toBe(migrated.database);
  });
});

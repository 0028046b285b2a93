// The demo service's simulated database: a schema number and the migrations applied, newest last.
// The demo runbook's "Database migration" stage migrates it up for the version being released and its
// undo migrates that same version back down. Both are idempotent: a repeated call changes nothing.

export interface Migration {
  /** The release version the migration came with. */
  version: string;
  /** The schema number it brought the database to. */
  schema: number;
}

export interface DatabaseState {
  schema: number;
  migrations: Migration[];
}

export const INITIAL_SCHEMA = 1;

export function initialDatabase(): DatabaseState {
  return { schema: INITIAL_SCHEMA, migrations: [] };
}

/** Applies `version`'s migration; already applied (it is the newest) → unchanged. */
export function migrateUp(db: DatabaseState, version: string): DatabaseState {
  if (db.migrations.at(-1)?.version === version) return db;
  const schema = db.schema + 1;
  return { schema, migrations: [...db.migrations, { version, schema }] };
}

/** Reverts `version`'s migration when it is the newest one; otherwise there is nothing of it to revert. */
export function migrateDown(db: DatabaseState, version: string): DatabaseState {
  if (db.migrations.at(-1)?.version !== version) return db;
  const migrations = db.migrations.slice(0, -1);
  return { schema: migrations.at(-1)?.schema ?? INITIAL_SCHEMA, migrations };
}

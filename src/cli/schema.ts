// `npx runway schema`: the runbook file's JSON Schema on stdout, for editors (see README).
import { runbookJsonSchema } from '../config/json-schema.ts';

export function schemaCommand(): { exitCode: 0; output: string } {
  return { exitCode: 0, output: `${JSON.stringify(runbookJsonSchema(), null, 2)}\n` };
}

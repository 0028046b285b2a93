import { runbookJsonSchema } from '../src/config/json-schema.ts';
console.log(JSON.stringify(runbookJsonSchema(), null, 1));

import { readFileSync } from 'node:fs';
import { importRunbook } from '../src/import/import.ts';
const f = process.argv[2]!;
console.log(importRunbook(readFileSync(f, 'utf8'), { source: f.split('/').at(-1)! }));

import { nameSchema } from '../src/config/schema.ts';
console.log(nameSchema._zod.bag, nameSchema._zod.def.checks?.map((c) => (c._zod.def as { pattern?: RegExp }).pattern));

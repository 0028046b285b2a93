// Runbook stages (SPEC sections 5 and 10): deploy, traffic, approval, bake, run, smoke and flag, any
// of them named and with an undo.
import { z } from 'zod';
import { durationSchema, keyedUnion, nameSchema } from './schema-kit.ts';

const gateList = z.array(nameSchema).optional();
// Issue 12: any stage may be named (the card and thread show the name) and name an undo action.
const stageNaming = { name: z.string().min(1).max(100).optional(), undo: nameSchema.optional() };
const stageObjectSchema = keyedUnion('a stage', {
  traffic: z.strictObject({
    traffic: z.number().min(0).max(100),
    hold: durationSchema.optional(),
    gates: gateList,
    ...stageNaming,
  }),
  approval: z.strictObject({ approval: z.string().min(1).max(300), ...stageNaming }),
  bake: z.strictObject({ bake: durationSchema, gates: gateList, ...stageNaming }),
  run: z.strictObject({ run: nameSchema, gates: gateList, hold: durationSchema.optional(), ...stageNaming }),
  // Issue 12: `deploy` / `smoke` written as mappings, to carry a name or an undo.
  deploy: z.strictObject({ deploy: z.literal(true), gates: gateList, ...stageNaming }),
  smoke: z.strictObject({ smoke: z.literal(true), ...stageNaming }),
  flag: z.strictObject({
    flag: nameSchema,
    percent: z
      .number()
      .min(1, 'percent must be between 1 and 100')
      .max(100, 'percent must be between 1 and 100'),
    hold: durationSchema.optional(),
    gates: gateList,
    ...stageNaming,
  }),
});
export const stageSchema = z.union([z.enum(['deploy', 'smoke']), stageObjectSchema]);

export type StageConfig = z.infer<typeof stageSchema>;

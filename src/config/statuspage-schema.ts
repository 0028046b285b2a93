// `incidents.statuspage` (SPEC section 6): the Atlassian Statuspage page that sev1/sev2 incidents update.
import { z } from 'zod';
import { urlSchema } from './values.ts';

export const statuspageSchema = z.strictObject({
  page_id: z.string().regex(/^[a-z0-9]+$/i, 'expected a Statuspage page id (letters and digits)'),
  api_key: z.string().min(1, 'expected the Statuspage API key (write it as "${STATUSPAGE_API_KEY}")'),
  /** Component ids marked major_outage (sev1) or partial_outage (sev2), operational on resolve. */
  components: z.array(z.string().regex(/^[a-z0-9]+$/i, 'expected a component id')).default([]),
  api_url: urlSchema.default('https://api.statuspage.io/v1'),
});

export type StatuspageConfig = z.infer<typeof statuspageSchema>;

import { z } from 'zod';

/**
 * `GET /api/v1/alerts/incidents?tenant=&open=true|false` and `vigie incidents`: alert incidents (issue 10 item 8),
 * newest last, each with its notices. `open`: only open (`true`) or only resolved (`false`) ones.
 */
export const alertIncidentQuerySchema = z
  .object({
    tenant: z.string().min(1).optional(),
    open: z
      .union([z.boolean(), z.enum(['true', 'false'])])
      .transform((v) => v === true || v === 'true')
      .optional(),
  })
  .strict();

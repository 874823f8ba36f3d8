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

/** Who acts (the `--author` of a command, or the API caller's name). */
const author = z.string().trim().min(1, 'auteur requis / author is required').max(200);

/** `POST /api/v1/alerts/incidents/:id/ack`: someone takes the incident in hand (the first acknowledgement stays). */
export const alertAckBodySchema = z.object({ author }).strict();

/** `POST /api/v1/alerts/incidents/:id/notes`: a note on the incident (what was seen, done, said by the provider). */
export const alertNoteBodySchema = z.object({ author, text: z.string().trim().min(1, 'texte requis / text is required').max(4000) }).strict();

import { z } from 'zod';

/**
 * SLA contracts (DESIGN.md §5). Placeholder until the SLA engine issue defines clauses; accepted and stored in the
 * revision as given.
 */
export const contractSchema = z.object({ id: z.string().min(1) }).passthrough();
export type ContractConfig = z.infer<typeof contractSchema>;

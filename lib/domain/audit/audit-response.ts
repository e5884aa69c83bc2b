import { z } from "zod";

/**
 * Response schema of GET /api/audit (the wire contract): an array of entries, newest first.
 * Imported by browser code: zod only. `z.object` (not strict) so an added field does not break an
 * old client; tests/integration/wire-contract.test.ts parses the real response with it.
 */
export const auditEntrySchema = z.object({
  id: z.number().int(),
  /** The entity's id (the contract calls it `batch`: batches were all the legacy log held). */
  batch: z.string(),
  /** Human label: the strain for batches, a name or key for other entities. */
  strain: z.string().nullable(),
  ts: z.iso.datetime(),
  field: z.string(),
  old: z.string().nullable(),
  new: z.string().nullable(),
  entity: z.string(),
  actor: z.string(),
  trace_id: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditResponseSchema = z.array(auditEntrySchema);
export type AuditResponse = z.infer<typeof auditResponseSchema>;

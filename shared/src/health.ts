import { z } from 'zod';

export const Health = z.object({
  ok: z.literal(true),
  version: z.string(),
  uptimeSeconds: z.number(),
  database: z.enum(['sqlite', 'postgresql']),
});
export type Health = z.infer<typeof Health>;

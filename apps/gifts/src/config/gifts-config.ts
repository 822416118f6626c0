import { z } from 'zod';
import { coreEnvSchema, databaseEnvSchema, jobsEnvSchema } from '@gisbi/platform';

export const giftsEnvSchema = coreEnvSchema
  .extend(databaseEnvSchema.shape)
  .extend(jobsEnvSchema.shape)
  .extend({
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3006),
  });

export type GiftsEnv = z.infer<typeof giftsEnvSchema>;
export const GIFTS_ENV = Symbol('GIFTS_ENV');

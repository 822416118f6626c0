import { z } from 'zod';
import { coreEnvSchema, databaseEnvSchema, jobsEnvSchema } from '@gisbi/platform';

export const proximityEnvSchema = coreEnvSchema
  .extend(databaseEnvSchema.shape)
  .extend(jobsEnvSchema.shape)
  .extend({
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3005),
  });

export type ProximityEnv = z.infer<typeof proximityEnvSchema>;
export const PROXIMITY_ENV = Symbol('PROXIMITY_ENV');

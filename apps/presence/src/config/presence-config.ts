import { z } from 'zod';
import { coreEnvSchema, databaseEnvSchema, jobsEnvSchema, redisEnvSchema } from '@gisbi/platform';

export const presenceEnvSchema = coreEnvSchema
  .extend(databaseEnvSchema.shape)
  .extend(redisEnvSchema.shape)
  .extend(jobsEnvSchema.shape)
  .extend({
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3002),
  });

export type PresenceEnv = z.infer<typeof presenceEnvSchema>;
export const PRESENCE_ENV = Symbol('PRESENCE_ENV');

import { z } from 'zod';
import { coreEnvSchema, databaseEnvSchema, jobsEnvSchema } from '@gisbi/platform';

export const chatEnvSchema = coreEnvSchema
  .extend(databaseEnvSchema.shape)
  .extend(jobsEnvSchema.shape)
  .extend({
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3004),
  });

export type ChatEnv = z.infer<typeof chatEnvSchema>;
export const CHAT_ENV = Symbol('CHAT_ENV');

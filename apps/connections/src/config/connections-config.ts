import { z } from 'zod';
import { coreEnvSchema, databaseEnvSchema, jobsEnvSchema } from '@gisbi/platform';

export const connectionsEnvSchema = coreEnvSchema
  .extend(databaseEnvSchema.shape)
  .extend(jobsEnvSchema.shape)
  .extend({
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3003),
  });

export type ConnectionsEnv = z.infer<typeof connectionsEnvSchema>;
export const CONNECTIONS_ENV = Symbol('CONNECTIONS_ENV');

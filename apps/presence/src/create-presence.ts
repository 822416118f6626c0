import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { databaseEnvSchema, type Env, loadConfig, migrateServiceSchema, startServiceApp } from '@gisbi/platform';
import { presenceEnvSchema } from './config/presence-config';
import { presenceMigrations } from './migrations';
import { presenceEntities, PresenceModule } from './presence.module';

export async function startPresence(envSource: Env = process.env): Promise<{ app: INestApplication; port: number }> {
  const env = loadConfig(presenceEnvSchema, envSource);
  const app = await NestFactory.create(PresenceModule.forRoot(env), { bufferLogs: true });
  const port = await startServiceApp(app, env.HTTP_PORT);
  return { app, port };
}

/** Only the database settings matter for migrating (the Job carries no other secrets). */
export async function migratePresence(envSource: Env = process.env): Promise<string[]> {
  const env = loadConfig(databaseEnvSchema, envSource);
  return migrateServiceSchema({ url: env.DATABASE_URL, schema: 'presence', entities: presenceEntities, migrations: presenceMigrations });
}

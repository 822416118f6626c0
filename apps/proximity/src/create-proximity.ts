import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { databaseEnvSchema, type Env, loadConfig, migrateServiceSchema, startServiceApp } from '@gisbi/platform';
import { proximityEnvSchema } from './config/proximity-config';
import { proximityMigrations } from './migrations';
import { proximityEntities, ProximityModule } from './proximity.module';

export async function startProximity(envSource: Env = process.env): Promise<{ app: INestApplication; port: number }> {
  const env = loadConfig(proximityEnvSchema, envSource);
  const app = await NestFactory.create(ProximityModule.forRoot(env), { bufferLogs: true });
  const port = await startServiceApp(app, env.HTTP_PORT);
  return { app, port };
}

/** Only the database settings matter for migrating (the Job carries no other secrets). */
export async function migrateProximity(envSource: Env = process.env): Promise<string[]> {
  const env = loadConfig(databaseEnvSchema, envSource);
  return migrateServiceSchema({ url: env.DATABASE_URL, schema: 'proximity', entities: proximityEntities, migrations: proximityMigrations });
}

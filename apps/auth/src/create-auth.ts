import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { databaseEnvSchema, type Env, loadConfig, migrateServiceSchema, startServiceApp } from '@gisbi/platform';
import { authEntities, AuthModule } from './auth.module';
import { authEnvSchema } from './config/auth-config';
import { authMigrations } from './migrations';

export async function startAuth(envSource: Env = process.env): Promise<{ app: INestApplication; port: number }> {
  const env = loadConfig(authEnvSchema, envSource);
  const app = await NestFactory.create(AuthModule.forRoot(env), { bufferLogs: true });
  const port = await startServiceApp(app, env.HTTP_PORT);
  return { app, port };
}

/** Only the database settings matter for migrating (the Job carries no other secrets). */
export async function migrateAuth(envSource: Env = process.env): Promise<string[]> {
  const env = loadConfig(databaseEnvSchema, envSource);
  return migrateServiceSchema({ url: env.DATABASE_URL, schema: 'auth', entities: authEntities, migrations: authMigrations });
}

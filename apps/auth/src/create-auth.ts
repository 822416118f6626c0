import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig, migrateServiceSchema, startServiceApp, type Env } from '@gisbi/platform';
import { authEntities, AuthModule } from './auth.module';
import { authEnvSchema } from './config/auth-config';
import { authMigrations } from './migrations';

export async function startAuth(envSource: Env = process.env): Promise<{ app: INestApplication; port: number }> {
  const env = loadConfig(authEnvSchema, envSource);
  const app = await NestFactory.create(AuthModule.forRoot(env), { bufferLogs: true });
  const port = await startServiceApp(app, env.HTTP_PORT);
  return { app, port };
}

export async function migrateAuth(envSource: Env = process.env): Promise<string[]> {
  const env = loadConfig(authEnvSchema, envSource);
  return migrateServiceSchema({ url: env.DATABASE_URL, schema: 'auth', entities: authEntities, migrations: authMigrations });
}

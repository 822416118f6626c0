import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { databaseEnvSchema, type Env, loadConfig, migrateServiceSchema, startServiceApp } from '@gisbi/platform';
import { connectionsEnvSchema } from './config/connections-config';
import { connectionsMigrations } from './migrations';
import { connectionsEntities, ConnectionsModule } from './connections.module';

export async function startConnections(envSource: Env = process.env): Promise<{ app: INestApplication; port: number }> {
  const env = loadConfig(connectionsEnvSchema, envSource);
  const app = await NestFactory.create(ConnectionsModule.forRoot(env), { bufferLogs: true });
  const port = await startServiceApp(app, env.HTTP_PORT);
  return { app, port };
}

/** Only the database settings matter for migrating (the Job carries no other secrets). */
export async function migrateConnections(envSource: Env = process.env): Promise<string[]> {
  const env = loadConfig(databaseEnvSchema, envSource);
  return migrateServiceSchema({ url: env.DATABASE_URL, schema: 'connections', entities: connectionsEntities, migrations: connectionsMigrations });
}

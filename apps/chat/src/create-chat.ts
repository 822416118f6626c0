import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { databaseEnvSchema, type Env, loadConfig, migrateServiceSchema, startServiceApp } from '@gisbi/platform';
import { chatEnvSchema } from './config/chat-config';
import { chatMigrations } from './migrations';
import { chatEntities, ChatModule } from './chat.module';

export async function startChat(
  envSource: Env = process.env,
): Promise<{ app: INestApplication; port: number }> {
  const env = loadConfig(chatEnvSchema, envSource);
  const app = await NestFactory.create(ChatModule.forRoot(env), { bufferLogs: true });
  const port = await startServiceApp(app, env.HTTP_PORT);
  return { app, port };
}

/** Only the database settings matter for migrating (the Job carries no other secrets). */
export async function migrateChat(envSource: Env = process.env): Promise<string[]> {
  const env = loadConfig(databaseEnvSchema, envSource);
  return migrateServiceSchema({
    url: env.DATABASE_URL,
    schema: 'chat',
    entities: chatEntities,
    migrations: chatMigrations,
  });
}

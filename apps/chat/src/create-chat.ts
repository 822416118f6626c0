import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig, migrateServiceSchema, startServiceApp, type Env } from '@gisbi/platform';
import { chatEnvSchema } from './config/chat-config';
import { chatMigrations } from './migrations';
import { chatEntities, ChatModule } from './chat.module';

export async function startChat(envSource: Env = process.env): Promise<{ app: INestApplication; port: number }> {
  const env = loadConfig(chatEnvSchema, envSource);
  const app = await NestFactory.create(ChatModule.forRoot(env), { bufferLogs: true });
  const port = await startServiceApp(app, env.HTTP_PORT);
  return { app, port };
}

export async function migrateChat(envSource: Env = process.env): Promise<string[]> {
  const env = loadConfig(chatEnvSchema, envSource);
  return migrateServiceSchema({ url: env.DATABASE_URL, schema: 'chat', entities: chatEntities, migrations: chatMigrations });
}

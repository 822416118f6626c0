import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { databaseEnvSchema, type Env, loadConfig, migrateServiceSchema, startServiceApp } from '@gisbi/platform';
import { giftsEnvSchema } from './config/gifts-config';
import { giftsMigrations } from './migrations';
import { giftsEntities, GiftsModule } from './gifts.module';

export async function startGifts(envSource: Env = process.env): Promise<{ app: INestApplication; port: number }> {
  const env = loadConfig(giftsEnvSchema, envSource);
  const app = await NestFactory.create(GiftsModule.forRoot(env), { bufferLogs: true });
  const port = await startServiceApp(app, env.HTTP_PORT);
  return { app, port };
}

/** Only the database settings matter for migrating (the Job carries no other secrets). */
export async function migrateGifts(envSource: Env = process.env): Promise<string[]> {
  const env = loadConfig(databaseEnvSchema, envSource);
  return migrateServiceSchema({ url: env.DATABASE_URL, schema: 'gifts', entities: giftsEntities, migrations: giftsMigrations });
}

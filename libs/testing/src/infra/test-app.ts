import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { Clock, startServiceApp } from '@gisbi/platform';

export interface TestApp {
  app: INestApplication;
  /** HTTP port the app listens on (ephemeral). */
  port: number;
  url: string;
  get<T>(token: Type<T> | string | symbol): T;
  close(): Promise<void>;
}

/**
 * Starts a service module exactly as its main.ts does (NATS transport, HTTP, shutdown hooks), with an
 * optional fake clock. Everything else is real: Postgres, Redis, NATS.
 */
export async function startTestApp(
  module: DynamicModule | Type,
  options: { clock?: Clock; configure?: (builder: TestingModuleBuilder) => TestingModuleBuilder } = {},
): Promise<TestApp> {
  let builder = Test.createTestingModule({ imports: [module] });
  if (options.clock) builder = builder.overrideProvider(Clock).useValue(options.clock);
  if (options.configure) builder = options.configure(builder);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ bufferLogs: true });
  const port = await startServiceApp(app, 0);
  return {
    app,
    port,
    url: `http://127.0.0.1:${port}`,
    get: <T>(token: Type<T> | string | symbol) => app.get<T>(token, { strict: false }),
    close: () => app.close(),
  };
}

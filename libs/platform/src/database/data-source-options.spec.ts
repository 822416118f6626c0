import { buildDataSourceOptions } from './data-source-options';

describe('buildDataSourceOptions', () => {
  const base = { schema: 'chat', url: 'postgres://postgres@127.0.0.1:5432/gisbi', entities: [], migrations: [] };

  it('keeps idle pooled connections open for DATABASE_POOL_IDLE_SECONDS and sizes the pool', () => {
    const options = buildDataSourceOptions({ ...base, poolSize: 7, poolIdleSeconds: 120 });

    expect(options).toMatchObject({
      schema: 'chat',
      synchronize: false,
      migrationsRun: false,
      extra: { max: 7, idleTimeoutMillis: 120_000, application_name: 'gisbi-chat', options: '-c search_path=chat' },
    });
  });

  it('defaults to ten connections that stay open for five idle minutes', () => {
    expect(buildDataSourceOptions(base).extra).toMatchObject({ max: 10, idleTimeoutMillis: 300_000 });
  });
});

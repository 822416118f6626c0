import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';

// jest loads global setup and teardown in separate module registries: share through globalThis.
const holder = globalThis as typeof globalThis & { __gisbiContainers?: StartedTestContainer[] };
const started: StartedTestContainer[] = (holder.__gisbiContainers ??= []);

/** Postgres 15, Redis 7 and NATS with JetStream in containers, for machines with a Docker engine. */
export async function startContainers(): Promise<{ postgresAdminUrl: string; redisUrl: string; natsUrl: string }> {
  const [postgres, redis, nats] = await Promise.all([
    new GenericContainer('postgres:15-alpine')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start(),
    new GenericContainer('redis:7-alpine').withExposedPorts(6379).withWaitStrategy(Wait.forLogMessage(/Ready to accept/)).start(),
    new GenericContainer('nats:2.10-alpine')
      .withCommand(['-js'])
      .withExposedPorts(4222)
      .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
      .start(),
  ]);
  started.push(postgres, redis, nats);
  return {
    postgresAdminUrl: `postgres://postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/postgres`,
    redisUrl: `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`,
    natsUrl: `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`,
  };
}

export async function stopContainers(): Promise<void> {
  await Promise.all(started.splice(0).map((container) => container.stop()));
}

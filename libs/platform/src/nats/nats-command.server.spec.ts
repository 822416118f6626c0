import type { NatsConnection } from 'nats';
import { SystemClock } from '../clock/clock';
import { COMMAND_PATTERN_PREFIX } from './handler-decorators';
import type { NatsClient } from './nats-client';
import { NatsCommandServer } from './nats-command.server';

/** A connection whose flush (the server's PONG: it holds every subscription sent before) the test settles. */
function connectionWithPendingFlush() {
  let settle!: { resolve: () => void; reject: (error: Error) => void };
  const subjects: string[] = [];
  const connection = {
    subscribe: (subject: string) => {
      subjects.push(subject);
      return { drain: async () => undefined };
    },
    flush: () => new Promise<void>((resolve, reject) => (settle = { resolve, reject })),
  } as unknown as NatsConnection;
  const nats = { connection, prefix: 'test', service: 'gifts' } as unknown as NatsClient;
  return { nats, subjects, settle: () => settle };
}

describe('NatsCommandServer.listen', () => {
  it('reports itself started only once the server holds its subscriptions', async () => {
    const { nats, subjects, settle } = connectionWithPendingFlush();
    const server = new NatsCommandServer(nats, new SystemClock());
    server.addHandler(`${COMMAND_PATTERN_PREFIX}gift.create`, async () => undefined);
    const started = jest.fn();
    server.listen(started);
    expect(subjects).toEqual(['test.cmd.gift.create']);
    await Promise.resolve();
    expect(started).not.toHaveBeenCalled();
    settle().resolve();
    await new Promise(setImmediate);
    expect(started).toHaveBeenCalledWith();
  });

  it('fails the start when the subscriptions cannot be confirmed', async () => {
    const { nats, settle } = connectionWithPendingFlush();
    const server = new NatsCommandServer(nats, new SystemClock());
    const started = jest.fn();
    server.listen(started);
    const failure = new Error('connection closed');
    settle().reject(failure);
    await new Promise(setImmediate);
    expect(started).toHaveBeenCalledWith(failure);
  });
});

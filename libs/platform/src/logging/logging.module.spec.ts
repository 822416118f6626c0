import { Writable } from 'node:stream';
import pino from 'pino';
import { installTracing } from '../tracing/tracing';
import { logContextFields, withLogContext } from './logging.module';

// The fields travel in the OpenTelemetry context, propagated by the context manager tracing installs.
beforeAll(() => installTracing('logging-spec'));

function capturingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ mixin: logContextFields }, stream), lines };
}

describe('withLogContext', () => {
  it('adds the bindings to every line written inside, across awaits, and drops undefined ones', async () => {
    const { logger, lines } = capturingLogger();
    await withLogContext({ userId: 'user_a', requestId: 'r1', correlationId: undefined }, async () => {
      logger.info('before');
      await new Promise((resolve) => setImmediate(resolve));
      logger.info('after');
    });
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'before', userId: 'user_a', requestId: 'r1' }),
      expect.objectContaining({ msg: 'after', userId: 'user_a', requestId: 'r1' }),
    ]);
    expect(lines[0]).not.toHaveProperty('correlationId');
  });

  it('keeps concurrent commands apart and writes plain lines outside any command', async () => {
    const { logger, lines } = capturingLogger();
    await Promise.all(
      ['user_a', 'user_b'].map((userId) =>
        withLogContext({ userId }, async () => {
          await new Promise((resolve) => setImmediate(resolve));
          logger.info(`for ${userId}`);
        }),
      ),
    );
    logger.info('outside');
    expect(lines.map((line) => [line['msg'], line['userId']])).toEqual([
      ['for user_a', 'user_a'],
      ['for user_b', 'user_b'],
      ['outside', undefined],
    ]);
  });
});

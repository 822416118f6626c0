import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { QueryFailedError } from 'typeorm';
import { installTracing } from '../tracing/tracing';
import { loggingOptions, logContextFields, redactUrlCredentials, withLogContext } from './logging.module';

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

describe('the logging configuration of every app', () => {
  const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ.c2lnbmF0dXJl';
  const COOKIE = 'sid=cookie-secret-value';

  /** The two loggers nestjs-pino builds from these options: pino-http's, and the one outside requests. */
  function appLoggers(): {
    middleware: HttpLogger;
    outside: pino.Logger;
    lines: Array<Record<string, unknown>>;
    text: () => string;
  } {
    const chunks: string[] = [];
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const options = loggingOptions({ service: 'gateway', level: 'info', instanceId: 'spec' });
    return {
      middleware: pinoHttp(options, stream),
      outside: pino(options, stream),
      lines,
      text: () => chunks.join(''),
    };
  }

  /** A finished request with a bearer token and a cookie, through pino-http, without a network. */
  function serveOneRequest(
    middleware: HttpLogger,
    url = '/users/profile',
    query?: Record<string, string>,
  ): { req: IncomingMessage; res: ServerResponse } {
    const req = new IncomingMessage(new Socket());
    req.method = 'PATCH';
    req.url = url;
    // Express parses the query string onto the request; pino's serializer logs it.
    if (query) Object.assign(req, { query });
    req.headers = { authorization: `Bearer ${TOKEN}`, cookie: COOKIE, 'content-type': 'application/json' };
    req.rawHeaders = [
      'Authorization',
      `Bearer ${TOKEN}`,
      'Cookie',
      COOKIE,
      'Content-Type',
      'application/json',
    ];
    const res = new ServerResponse(req);
    middleware(req, res, () => undefined);
    // Without a connection the response is only buffered, so 'finish' is announced by hand.
    res.writeHead(401).end();
    res.emit('finish');
    return { req, res };
  }

  it('logs a request with its credentials censored', () => {
    const { middleware, lines, text } = appLoggers();

    serveOneRequest(middleware);

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'request completed',
      service: 'gateway',
      req: {
        method: 'PATCH',
        url: '/users/profile',
        headers: { authorization: '[Redacted]', cookie: '[Redacted]', 'content-type': 'application/json' },
      },
      res: { statusCode: 401 },
    });
    expect(text()).not.toContain(TOKEN);
    expect(text()).not.toContain(COOKIE);
  });

  it('censors credentials passed in the query string, in the url and in the parsed query', () => {
    const { middleware, lines, text } = appLoggers();

    serveOneRequest(middleware, `/connections/conn_1/proximity/summary?token=${TOKEN}&limit=5&access_token=${TOKEN}`, {
      token: TOKEN,
      limit: '5',
      access_token: TOKEN,
    });

    expect(lines[0]).toMatchObject({
      req: {
        url: '/connections/conn_1/proximity/summary?token=%5BRedacted%5D&limit=5&access_token=%5BRedacted%5D',
        query: { token: '[Redacted]', limit: '5', access_token: '[Redacted]' },
      },
    });
    expect(text()).not.toContain(TOKEN);
  });

  it.each([
    ['/users/profile', '/users/profile'],
    ['/gifts/history?limit=20&cursor=abc', '/gifts/history?limit=20&cursor=abc'],
    ['/x?api_key=k1&apiKey=k2&password=p&page=2', '/x?api_key=%5BRedacted%5D&apiKey=%5BRedacted%5D&password=%5BRedacted%5D&page=2'],
  ])('redactUrlCredentials(%p) keeps the path and harmless parameters', (url, logged) => {
    expect(redactUrlCredentials(url)).toBe(logged);
  });

  it('writes the lines after a request without its req, res or any other field of it', () => {
    const { middleware, outside, lines } = appLoggers();
    serveOneRequest(middleware);

    outside.info({ context: 'ShutdownState' }, 'shutting down (SIGINT): draining');
    outside.info('plain line');

    expect(Object.keys(lines[1] ?? {}).sort()).toEqual([
      'context',
      'instance',
      'level',
      'msg',
      'service',
      'time',
    ]);
    expect(Object.keys(lines[2] ?? {}).sort()).toEqual(['instance', 'level', 'msg', 'service', 'time']);
  });

  it('keeps one line’s fields out of the next line of the same command', async () => {
    const { outside, lines } = appLoggers();

    await withLogContext({ userId: 'user_a' }, async () => {
      outside.warn({ err: new Error('first') }, 'with an error');
      outside.info('without');
    });

    expect(lines[0]).toMatchObject({ userId: 'user_a', err: { message: 'first' } });
    expect(lines[1]).toMatchObject({ userId: 'user_a', msg: 'without' });
    expect(lines[1]).not.toHaveProperty('err');
  });

  it('logs a failed query with its statement and code, never its bound values or the detail echoing them', () => {
    const { outside, lines, text } = appLoggers();
    const driverError = Object.assign(new Error('duplicate key value violates unique constraint "uq"'), {
      code: '23505',
      detail: 'Key (user_id, lat)=(user_secret, 52.520008) already exists.',
    });
    const failed = new QueryFailedError('INSERT INTO positions (user_id, lat) VALUES ($1, $2)', ['user_secret', 52.520008], driverError);

    outside.error({ err: failed }, 'insert failed');

    expect(lines[0]).toMatchObject({
      err: { type: 'QueryFailedError', query: 'INSERT INTO positions (user_id, lat) VALUES ($1, $2)', code: '23505', parameters: '[Redacted]', detail: '[Redacted]' },
    });
    expect(text()).not.toContain('user_secret');
    expect(text()).not.toContain('52.520008');
  });

  it('reduces a raw request or response logged outside pino-http to its serialised form', () => {
    const { middleware, outside, lines, text } = appLoggers();
    const { req, res } = serveOneRequest(middleware);

    outside.error({ req, res }, 'raw objects');

    expect(lines[1]).toMatchObject({
      msg: 'raw objects',
      req: {
        method: 'PATCH',
        url: '/users/profile',
        headers: { authorization: '[Redacted]', cookie: '[Redacted]' },
      },
      res: { statusCode: 401 },
    });
    expect(lines[1]?.['req']).not.toHaveProperty('rawHeaders');
    expect(text()).not.toContain(TOKEN);
    expect(text()).not.toContain(COOKIE);
  });
});

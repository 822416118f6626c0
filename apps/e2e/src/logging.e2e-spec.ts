import { ErrorCode, ServerEvent, type ErrorPayload } from '@gisbi/contracts';
import { startStack, type SignedInUser, type Stack } from '@gisbi/testing';

type LogLine = Record<string, unknown>;

function jsonLines(text: string): LogLine[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** Credentials a client sends never reach a log line, in a request or after it (ADR 11). */
describe('logs, end to end', () => {
  const COOKIE_VALUE = 'cookie-secret-4f1c2a';
  const FORGED_TOKEN = 'forged.access-token.b6e1d0';
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ label: 'logs', apps: ['auth', 'gateway'], env: { LOG_LEVEL: 'info' } });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('censor tokens and cookies, and no line outside a request carries one, down to the SIGINT shutdown', async () => {
    const idToken = await stack.idp.signIdToken({ provider: 'google', sub: 'g-logs', name: 'Ada' });
    const login = await stack.http<SignedInUser>('POST', '/auth/social-login', {
      body: { provider: 'google', idToken },
    });
    expect(login.status).toBe(200);
    const { accessToken, refreshToken } = login.body;
    const profile = await stack.http('PATCH', '/users/profile', {
      token: accessToken,
      body: { name: 'Ada L.' },
      headers: { cookie: `sid=${COOKIE_VALUE}` },
    });
    expect(profile.status).toBe(200);
    const forged = await stack.http('PATCH', '/users/profile', { token: FORGED_TOKEN, body: { name: 'x' } });
    expect(forged.status).toBe(401);
    const socket = await stack.connectSocket(accessToken);
    // No chat service runs in this stack: the command is answered at once, with the token on the handshake.
    const reply = await socket.request<ErrorPayload>('chat.history.fetch', {});
    expect(reply.type).toBe(ServerEvent.Error);
    expect(reply.payload.code).toBe(ErrorCode.service_unavailable);

    const [gateway] = stack.replicasOf('gateway');
    await gateway?.interrupt();

    const everything = stack.logs();
    for (const secret of [idToken, accessToken, refreshToken, COOKIE_VALUE, FORGED_TOKEN]) {
      expect(everything.includes(secret) ? `found ${secret.slice(0, 12)}…` : 'absent').toBe('absent');
    }
    const lines = jsonLines(gateway?.logs ?? '');
    const requestLines = lines.filter((line) => 'req' in line || 'res' in line);
    expect(requestLines.map((line) => line['msg'])).toEqual([
      'request completed',
      'request completed',
      'request completed',
    ]);
    expect(requestLines[1]).toMatchObject({
      req: {
        method: 'PATCH',
        url: '/users/profile',
        headers: { authorization: '[Redacted]', cookie: '[Redacted]' },
      },
      res: { statusCode: 200 },
    });
    expect(requestLines[2]).toMatchObject({
      req: { headers: { authorization: '[Redacted]' } },
      res: { statusCode: 401 },
    });
    const draining = lines.find((line) => line['msg'] === 'shutting down (SIGINT): draining');
    expect(Object.keys(draining ?? {}).sort()).toEqual([
      'context',
      'instance',
      'level',
      'msg',
      'service',
      'time',
    ]);
  });
});

import { ErrorCode } from '@gisbi/contracts';
import { startStack, type SignedInUser, type Stack } from '@gisbi/testing';

/**
 * REST rate limits behind two real gateways sharing their counters in Redis: a budget per credential
 * and a larger one per client address (read from X-Forwarded-For past one trusted proxy, as behind the
 * ingress). Windows are 2 s here, so a test can see one end.
 */
describe('REST rate limits, end to end', () => {
  const WINDOW_SECONDS = 2;
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      label: 'ratelimit',
      apps: ['auth', 'gateway'],
      replicas: { gateway: 2 },
      env: {
        REST_RATE_LIMIT_WINDOW_SECONDS: String(WINDOW_SECONDS),
        REST_RATE_LIMIT_PER_CREDENTIAL: '3',
        REST_RATE_LIMIT_PER_ADDRESS: '6',
        TRUST_PROXY_HOPS: '1',
      },
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  let nextAddress = 1;
  /** A client address of its own, so that each test starts with a full address budget. */
  const newAddress = (): Record<string, string> => ({ 'x-forwarded-for': `203.0.113.${nextAddress++}` });

  const profile = (user: SignedInUser, address: Record<string, string>, replica = 1) =>
    stack.http('PATCH', '/users/profile', { token: user.accessToken, body: {}, headers: address, replica });

  /** Signs in from an address of its own (sign-ins count against their address). */
  const signInElsewhere = (sub: string): Promise<SignedInUser> => stack.signIn(sub, 'Ada', 'google', {}, newAddress());

  it('gives each credential its budget across both gateways, then answers 429 rate_limited with Retry-After', async () => {
    const ada = await signInElsewhere('g-rl-credential');
    const address = newAddress();

    const statuses = [
      (await profile(ada, address, 1)).status,
      (await profile(ada, address, 2)).status,
      (await profile(ada, address, 1)).status,
    ];
    const refused = await stack.httpWithHeaders('PATCH', '/users/profile', { token: ada.accessToken, body: {}, headers: address, replica: 2 });

    expect(statuses).toEqual([200, 200, 200]);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ detail: expect.stringMatching(/^Too many requests; retry in [12] s$/), code: ErrorCode.rate_limited });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('retry-after-credential')).toBeNull();
    // The same credential however the header spells it (the access-token check allows any whitespace).
    const tabbed = await stack.http('PATCH', '/users/profile', { body: {}, headers: { ...address, authorization: `Bearer\t${ada.accessToken}` } });
    expect(tabbed).toMatchObject({ status: 429, body: { code: ErrorCode.rate_limited } });
    // Another credential from the same address has its own budget.
    const grace = await signInElsewhere('g-rl-credential-2');
    expect((await profile(grace, address)).status).toBe(200);
  });

  it('caps an address whatever credentials it presents, and counts sign-ins against it', async () => {
    const address = newAddress();
    const users = await Promise.all(['g-rl-a', 'g-rl-b', 'g-rl-c'].map((sub) => signInElsewhere(sub)));

    const signIn = async (sub: string) => {
      const idToken = await stack.idp.signIdToken({ provider: 'google', sub });
      return stack.http('POST', '/auth/social-login', { body: { provider: 'google', idToken }, headers: address });
    };
    const allowed = [
      (await signIn('g-rl-d')).status,
      (await profile(users[0]!, address)).status,
      (await profile(users[1]!, address, 2)).status,
      (await profile(users[2]!, address)).status,
      (await signIn('g-rl-e')).status,
      (await profile(users[0]!, address, 2)).status,
    ];

    expect(allowed).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await profile(users[1]!, address)).toMatchObject({ status: 429, body: { code: ErrorCode.rate_limited } });
    expect(await signIn('g-rl-f')).toMatchObject({ status: 429, body: { code: ErrorCode.rate_limited } });
    // Another address is unaffected.
    expect((await profile(users[1]!, newAddress())).status).toBe(200);
  });

  it('counts a refresh against the refresh token it presents', async () => {
    const ada = await signInElsewhere('g-rl-refresh');
    const address = newAddress();
    const refresh = () => stack.http('POST', '/auth/refresh', { body: { refreshToken: ada.refreshToken }, headers: address });

    // The token is used up by the first refresh (401 after), but every attempt counts against it.
    const statuses = [(await refresh()).status, (await refresh()).status, (await refresh()).status, (await refresh()).status];

    expect(statuses).toEqual([200, 401, 401, 429]);
    // A bearer header of another credential does not move the count away from the refresh token.
    const disguised = await stack.http('POST', '/auth/refresh', {
      body: { refreshToken: ada.refreshToken },
      headers: { ...address, authorization: 'Bearer something-else' },
    });
    expect(disguised).toMatchObject({ status: 429, body: { code: ErrorCode.rate_limited } });
  });

  it('opens a new window once the old one ends', async () => {
    const ada = await signInElsewhere('g-rl-window');
    const address = newAddress();
    for (let i = 0; i < 3; i++) await profile(ada, address);
    expect((await profile(ada, address)).status).toBe(429);

    await new Promise((resolve) => setTimeout(resolve, WINDOW_SECONDS * 1000 + 200));

    expect((await profile(ada, address)).status).toBe(200);
  });

  it('never limits the operational routes', async () => {
    const address = newAddress();
    const probes = await Promise.all(Array.from({ length: 10 }, () => fetch(`${stack.gatewayManagementUrl()}/health/live`, { headers: address })));

    expect(probes.map((probe) => probe.status)).toEqual(Array(10).fill(200));
  });
});

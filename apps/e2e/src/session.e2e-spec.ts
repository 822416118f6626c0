import { request as httpRequest } from 'node:http';
import { emptyBootstrap, ErrorCode, ServerEvent, type BootstrapPayload, type ErrorPayload, type User } from '@gisbi/contracts';
import { HandshakeRefused, startStack, TestSocket, type Stack } from '@gisbi/testing';
import { hs256Token } from '@gisbi/dev-identity';

/** Issue 2 end to end: sign-in, profile, devices, the authenticated socket and its bootstrap. */
describe('gateway and auth, end to end', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ label: 'session', env: { WS_MAX_PAYLOAD_BYTES: '4096' } });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  describe('REST', () => {
    it('signs in with Google and Apple and returns the contract shape', async () => {
      const google = await stack.signIn('g-ada', 'Ada Lovelace', 'google');
      expect(google.accessToken).toEqual(expect.any(String));
      expect(google.refreshToken).toEqual(expect.any(String));
      expect(google.user).toEqual({
        id: expect.stringMatching(/^user_[0-9A-Z]{26}$/),
        name: 'Ada Lovelace',
        age: null,
        avatar: null,
        gender: null,
        vibe: null,
        vibeExpiresAt: null,
      });
      const again = await stack.signIn('g-ada', 'Ada Lovelace', 'google');
      expect(again.user.id).toBe(google.user.id);
      const apple = await stack.signIn('a-ada', undefined, 'apple');
      expect(apple.user.id).not.toBe(google.user.id);
      const raw = await stack.http<Record<string, unknown>>('POST', '/auth/social-login', {
        body: { provider: 'google', idToken: await stack.idp.signIdToken({ provider: 'google', sub: 'g-ada' }) },
      });
      expect(raw.body).toHaveProperty('firebaseToken', null);
    });

    it('refuses forged, malformed and unknown-provider logins with {detail, code}', async () => {
      const forged = await stack.idp.signIdToken({ provider: 'google', sub: 'mallory', signWith: 'foreign' });
      const refused = await stack.http('POST', '/auth/social-login', { body: { provider: 'google', idToken: forged } });
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({ detail: expect.any(String), code: ErrorCode.invalid_id_token });

      const hs = await hs256Token({ sub: 'mallory', iss: 'https://accounts.google.com' }, 'secret');
      expect((await stack.http('POST', '/auth/social-login', { body: { provider: 'google', idToken: hs } })).status).toBe(401);

      const provider = await stack.http('POST', '/auth/social-login', { body: { provider: 'myspace', idToken: 'x.y.z' } });
      expect(provider.status).toBe(400);
      expect(provider.body).toMatchObject({ code: ErrorCode.invalid_provider });

      const notJson = await stack.http('PATCH', '/users/profile', { body: 'hello', headers: { 'content-type': 'text/plain' } });
      expect(notJson).toEqual({ status: 415, body: { detail: expect.any(String), code: ErrorCode.validation_failed } });

      const malformed = await stack.http('POST', '/auth/social-login', { body: '{"provider":' });
      expect(malformed.status).toBe(400);
      expect(malformed.body).toEqual({ detail: 'Request body is not valid JSON', code: ErrorCode.invalid_json });

      // Valid JSON that is not an object is the wrong shape, not malformed: answered like [] is.
      for (const body of ['null', '"text"', '42', '[]']) {
        const notAnObject = await stack.http('POST', '/auth/social-login', { body });
        expect(notAnObject).toEqual({ status: 400, body: { detail: 'payload must be a JSON object', code: ErrorCode.validation_failed } });
      }
    });

    it('updates the profile, validates it, and pushes user.profile.updated to every socket of the user', async () => {
      const ada = await stack.signIn('g-profile', 'Ada');
      const phone = await stack.connectSocket(ada.accessToken);
      const tablet = await stack.connectSocket(ada.accessToken);

      const updated = await stack.http<User>('PATCH', '/users/profile', {
        token: ada.accessToken,
        body: { name: 'Ada L.', age: 28, avatar: 'https://cdn.example.com/ada.png', gender: 'female' },
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ id: ada.user.id, name: 'Ada L.', age: 28, avatar: 'https://cdn.example.com/ada.png', gender: 'female' });
      for (const socket of [phone, tablet]) {
        const event = await socket.next<{ user: User }>(ServerEvent.UserProfileUpdated);
        expect(event.payload.user).toEqual(updated.body);
        expect(event.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
      }

      const cleared = await stack.http<User>('PATCH', '/users/profile', { token: ada.accessToken, body: { avatar: '', age: null, gender: null } });
      expect(cleared.body).toMatchObject({ avatar: null, age: null, gender: null, name: 'Ada L.' });

      const unknown = await stack.http('PATCH', '/users/profile', { token: ada.accessToken, body: { name: 'X', isAdmin: true } });
      expect(unknown.status).toBe(400);
      const illTyped = await stack.http('PATCH', '/users/profile', { token: ada.accessToken, body: { age: -1 } });
      expect(illTyped.status).toBe(400);
      const unchanged = await stack.http<User>('PATCH', '/users/profile', { token: ada.accessToken, body: {} });
      expect(unchanged.body.name).toBe('Ada L.');

      const vibe = await stack.http<User>('PATCH', '/users/profile', {
        token: ada.accessToken,
        body: { vibe: 'coffee #jazz', vibeExpiresInMinutes: 30 },
      });
      expect(vibe.body.vibe).toBe('coffee #jazz');
      expect(Date.parse(vibe.body.vibeExpiresAt ?? '')).toBeGreaterThan(Date.now() + 25 * 60_000);
      await Promise.all([phone.close(), tablet.close()]);
    });

    it('refuses __proto__, constructor and prototype keys as unknown fields, at any depth, before any service', async () => {
      const ada = await stack.signIn('g-prototype', 'Ada');
      for (const key of ['__proto__', 'constructor', 'prototype']) {
        const profile = await stack.http('PATCH', '/users/profile', { token: ada.accessToken, body: `{"${key}":{"name":"Mallory"}}` });
        expect(profile).toEqual({ status: 400, body: { detail: `${key} is not an accepted field`, code: ErrorCode.validation_failed } });
        const idToken = await stack.idp.signIdToken({ provider: 'google', sub: 'g-prototype' });
        const login = await stack.http('POST', '/auth/social-login', {
          body: `{"provider":"google","idToken":"${idToken}","${key}":{"isAdmin":true}}`,
        });
        expect(login).toEqual({ status: 400, body: { detail: `${key} is not an accepted field`, code: ErrorCode.validation_failed } });
      }
      const nested = await stack.http('POST', '/devices/register', {
        token: ada.accessToken,
        body: '{"token":"fcm_1","platform":"android","extra":{"__proto__":{"isActive":false}}}',
      });
      expect(nested).toEqual({ status: 400, body: { detail: 'extra.__proto__ is not an accepted field', code: ErrorCode.validation_failed } });
      const deep = await stack.http('PATCH', '/users/profile', { token: ada.accessToken, body: `{"name":${'['.repeat(40)}${']'.repeat(40)}}` });
      expect(deep).toEqual({
        status: 400,
        body: { detail: 'payload must not nest objects or arrays more than 16 levels deep', code: ErrorCode.validation_failed },
      });
      const unchanged = await stack.http<User>('PATCH', '/users/profile', { token: ada.accessToken, body: {} });
      expect(unchanged.body.name).toBe('Ada');
    });

    it('refuses text no database column can store (NUL, unpaired surrogates) with the validation code, never a 500', async () => {
      const ada = await stack.signIn('g-unstorable', 'Ada');
      const unstorable = (field: string): string => `${field} must not contain NUL characters or unpaired UTF-16 surrogates`;
      for (const [body, detail] of [
        [{ name: 'A\ud800' }, unstorable('name')],
        [{ vibe: '\ud83d' }, unstorable('vibe')],
        // Display texts refuse every control character, NUL among them.
        [{ name: 'Al\u0000ice' }, 'name must not contain control characters'],
        [{ vibe: 'ring\u0007' }, 'vibe must not contain control characters'],
      ] as const) {
        const profile = await stack.http('PATCH', '/users/profile', { token: ada.accessToken, body });
        expect(profile).toEqual({ status: 400, body: { detail, code: ErrorCode.validation_failed } });
      }
      const device = await stack.http('POST', '/devices/register', { token: ada.accessToken, body: { token: 'a\u0000b', platform: 'ios' } });
      expect(device).toEqual({ status: 400, body: { detail: unstorable('token'), code: ErrorCode.validation_failed } });
      // Path and query values too: a `%00` never reaches a service's query.
      for (const [method, path] of [
        ['POST', '/connections/conn_%00/proximity/token'],
        ['GET', '/connections/conn_%00/proximity/summary'],
      ] as const) {
        expect(await stack.http(method, path, { token: ada.accessToken })).toEqual({
          status: 400,
          body: { detail: unstorable('connectionId'), code: ErrorCode.validation_failed },
        });
      }
      const emoji = await stack.http<User>('PATCH', '/users/profile', { token: ada.accessToken, body: { name: 'Ada \u{1F600}' } });
      expect(emoji.body.name).toBe('Ada \u{1F600}');

      const socket = await stack.connectSocket(ada.accessToken);
      // Each field answers with its own code (an id field has one code for absent and invalid alike).
      expect((await socket.request('connection.request.send', { userId: 'user_\u0000' })).payload).toMatchObject({
        code: ErrorCode.missing_userId,
        message: unstorable('userId'),
      });
      expect((await socket.request('safety.report', { reportedUserId: 'user_x', reason: 'bad\u0000' })).payload).toMatchObject({
        code: ErrorCode.invalid_payload,
        message: unstorable('reason'),
      });
      await socket.close();
    });

    it('registers devices and requires a valid access token', async () => {
      const ada = await stack.signIn('g-devices', 'Ada');
      const registered = await stack.http('POST', '/devices/register', {
        token: ada.accessToken,
        body: { token: 'fcm_token_1', platform: 'android' },
      });
      expect(registered).toEqual({ status: 200, body: { status: 'ok', device: { token: 'fcm_token_1', platform: 'android', isActive: true } } });
      expect((await stack.http('POST', '/devices/register', { body: { token: 't', platform: 'android' } })).status).toBe(401);
      expect((await stack.http('POST', '/devices/register', { token: ada.refreshToken, body: { token: 't', platform: 'android' } })).status).toBe(401);
      const bad = await stack.http('POST', '/devices/register', { token: ada.accessToken, body: { token: '', platform: 'nokia' } });
      expect(bad.status).toBe(400);
    });

    it('rotates refresh tokens and revokes the family on reuse; logout blacklists', async () => {
      const ada = await stack.signIn('g-refresh', 'Ada');
      const rotated = await stack.http<{ accessToken: string; refreshToken: string }>('POST', '/auth/refresh', {
        body: { refreshToken: ada.refreshToken },
      });
      expect(rotated.status).toBe(200);
      const reused = await stack.http('POST', '/auth/refresh', { body: { refreshToken: ada.refreshToken } });
      expect(reused.status).toBe(401);
      const afterReuse = await stack.http('POST', '/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } });
      expect(afterReuse.status).toBe(401);

      const bob = await stack.signIn('g-logout', 'Bob');
      const bobOnTablet = await stack.signIn('g-logout', 'Bob');
      const phone = await stack.connectSocket(bob.accessToken);
      const tablet = await stack.connectSocket(bobOnTablet.accessToken);
      const out = await stack.http('POST', '/auth/logout', { token: bob.accessToken, body: { refreshToken: bob.refreshToken } });
      expect(out).toEqual({ status: 200, body: { status: 'ok' } });
      expect((await stack.http('POST', '/auth/refresh', { body: { refreshToken: bob.refreshToken } })).status).toBe(401);
      // Only the logged-out session's sockets close; the other device stays connected.
      await waitFor(() => phone.closeCode !== undefined);
      expect(phone.closeCode).toBe(4001);
      expect((await tablet.request('session.start', {})).type).toBe(ServerEvent.SessionConnected);
      await tablet.close();
    });

    it('deletes an account: reason required, sockets closed, tokens and logins refused', async () => {
      const eve = await stack.signIn('g-delete', 'Eve');
      const socket = await stack.connectSocket(eve.accessToken);
      const missing = await stack.http('POST', '/auth/delete-account', { token: eve.accessToken, body: {} });
      expect(missing.status).toBe(400);
      const deleted = await stack.http('POST', '/auth/delete-account', { token: eve.accessToken, body: { reason: 'leaving' } });
      expect(deleted).toEqual({ status: 200, body: { status: 'ok' } });
      await waitFor(() => socket.closeCode !== undefined);
      expect((await stack.http('PATCH', '/users/profile', { token: eve.accessToken, body: { name: 'x' } })).status).toBe(401);
      await expect(stack.connectSocket(eve.accessToken)).rejects.toEqual(new HandshakeRefused(401));
      const login = await stack.http('POST', '/auth/social-login', {
        body: { provider: 'google', idToken: await stack.idp.signIdToken({ provider: 'google', sub: 'g-delete' }) },
      });
      expect(login.status).toBe(403);
    });

    it('serves Swagger UI at /docs/ and the OpenAPI document at /docs.json', async () => {
      const ui = await stack.http<string>('GET', '/docs/');
      expect(ui.status).toBe(200);
      expect(String(ui.body)).toContain('swagger');
      const doc = await stack.http<{ openapi: string; paths: Record<string, unknown> }>('GET', '/docs.json');
      expect(doc.body.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining([
          '/auth/social-login',
          '/auth/refresh',
          '/auth/logout',
          '/auth/delete-account',
          '/devices/register',
          '/users/profile',
          '/connections/{connectionId}/proximity/token',
          '/connections/{connectionId}/proximity/summary',
        ]),
      );
    });
  });

  describe('socket /ws', () => {
    it('refuses handshakes without a valid access token before the upgrade', async () => {
      const ada = await stack.signIn('g-handshake', 'Ada');
      await expect(TestSocket.connect(stack.wsUrl())).rejects.toEqual(new HandshakeRefused(401));
      await expect(TestSocket.connect(stack.wsUrl(), 'not.a.jwt')).rejects.toEqual(new HandshakeRefused(401));
      await expect(TestSocket.connect(stack.wsUrl(), ada.refreshToken)).rejects.toEqual(new HandshakeRefused(401));
      const tampered = ada.accessToken.slice(0, -4) + (ada.accessToken.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      await expect(TestSocket.connect(stack.wsUrl(), tampered)).rejects.toEqual(new HandshakeRefused(401));
      // Refused like every REST error: a JSON {detail, code}.
      expect(await upgradeResponse(`${stack.gatewayUrl()}/ws`)).toEqual({
        status: 401,
        body: { detail: 'Missing bearer token', code: ErrorCode.unauthorized },
      });
      expect(await upgradeResponse(`${stack.gatewayUrl()}/ws`, 'not.a.jwt')).toEqual({
        status: 401,
        body: { detail: expect.any(String), code: ErrorCode.unauthorized },
      });
    });

    it('answers an upgrade on any path but /ws with 404, and still authenticates /ws', async () => {
      const ada = await stack.signIn('g-paths', 'Ada');
      const base = stack.gatewayUrl().replace('http://', 'ws://');
      for (const path of ['/wsx', '/ws/', '/', '/docs', '/users/profile']) {
        await expect(TestSocket.connect(`${base}${path}`, ada.accessToken)).rejects.toEqual(new HandshakeRefused(404));
      }
      expect(await upgradeResponse(`${stack.gatewayUrl()}/wsx`)).toEqual({
        status: 404,
        body: { detail: 'No WebSocket endpoint at this path; connect to /ws', code: ErrorCode.not_found },
      });
      await expect(TestSocket.connect(`${base}/ws?client=ios`)).rejects.toEqual(new HandshakeRefused(401));
      const socket = await TestSocket.connect(`${base}/ws?client=ios`, ada.accessToken);
      expect((await socket.request('session.start', {})).type).toBe(ServerEvent.SessionConnected);
      await socket.close();
    });

    it('answers session.start with session.connected then a bootstrap carrying every contract key', async () => {
      const ada = await stack.signIn('g-bootstrap', 'Ada');
      const socket = await stack.connectSocket(ada.accessToken);
      socket.send('session.start', { lastSeenAt: '2026-04-19T08:00:00Z' }, { requestId: 'req_boot', correlationId: 'corr_boot' });
      const connected = await socket.next(ServerEvent.SessionConnected);
      expect(connected).toMatchObject({ payload: {}, requestId: 'req_boot', correlationId: 'corr_boot' });
      const bootstrap = await socket.next<BootstrapPayload>(ServerEvent.SessionBootstrap);
      expect(bootstrap.requestId).toBe('req_boot');
      // The contract's key list is pinned once, in libs/contracts (bootstrap.spec.ts).
      expect(Object.keys(bootstrap.payload).sort()).toEqual(Object.keys(emptyBootstrap(ada.user)).sort());
      expect(bootstrap.payload.currentUser).toEqual(ada.user);
      expect(bootstrap.payload.presence).toMatchObject({ isOnRadar: true });
      expect(bootstrap.payload.gifts).toEqual([]);
      expect(socket.received.map((e) => e.type).slice(0, 2)).toEqual([ServerEvent.SessionConnected, ServerEvent.SessionBootstrap]);
      await socket.close();
    });

    it('answers bad frames with an error event and keeps the socket open', async () => {
      const ada = await stack.signIn('g-frames', 'Ada');
      const socket = await stack.connectSocket(ada.accessToken);
      socket.sendRaw('{not json');
      expect((await socket.next<ErrorPayload>(ServerEvent.Error)).payload).toMatchObject({ code: ErrorCode.invalid_json, domain: 'gateway' });
      socket.sendRaw(JSON.stringify({ payload: {}, requestId: 'req_1' }));
      const noType = await socket.next<ErrorPayload>(ServerEvent.Error);
      expect(noType.payload).toMatchObject({ code: ErrorCode.invalid_envelope, requestId: 'req_1' });
      expect(noType.requestId).toBe('req_1');
      socket.send('teleport.now', {}, { requestId: 'req_2' });
      expect((await socket.next<ErrorPayload>(ServerEvent.Error)).payload).toMatchObject({ code: ErrorCode.unknown_type, requestId: 'req_2' });
      const missing = await socket.request<ErrorPayload>('connection.request.send', {});
      expect(missing.type).toBe('error');
      expect(missing.payload).toMatchObject({ code: ErrorCode.missing_userId, domain: 'connections', message: expect.any(String) });
      const badLocation = await socket.request<ErrorPayload>('presence.location_update', { lat: 91, lng: 0 });
      expect(badLocation.payload).toMatchObject({ code: ErrorCode.invalid_location });
      const legacy = await socket.request<ErrorPayload>('gift.create', {});
      expect(legacy.payload).toMatchObject({ code: ErrorCode.peer_gifts_disabled });
      const stillOpen = await socket.request('session.start', {});
      expect(stillOpen.type).toBe(ServerEvent.SessionConnected);
      await socket.close();
    });

    it('accepts commands before session.start: the socket is usable once open', async () => {
      const ada = await stack.signIn('g-before-start', 'Ada');
      const socket = await stack.connectSocket(ada.accessToken);
      const history = await socket.request('connection.history.fetch', {});
      expect(history).toMatchObject({ type: 'connection.history.fetch', payload: { activeConnections: [], closedConnections: [] } });
      await socket.close();
    });

    it('holds every frame to the envelope: payload present, not null, an object', async () => {
      const ada = await stack.signIn('g-envelope', 'Ada');
      const socket = await stack.connectSocket(ada.accessToken);
      const refusal = (frame: string, requestId: string): Promise<ErrorPayload> => errorFor(socket, frame, requestId);
      expect(await refusal('{"type":"chat.history.fetch","requestId":"req_none"}', 'req_none')).toEqual({
        code: ErrorCode.invalid_envelope,
        message: 'payload is required',
        domain: 'gateway',
        requestId: 'req_none',
      });
      expect(await refusal('{"type":"connection.history.fetch","payload":null,"requestId":"req_null"}', 'req_null')).toEqual({
        code: ErrorCode.invalid_envelope,
        message: 'payload is required',
        domain: 'gateway',
        requestId: 'req_null',
      });
      expect(await refusal('{"type":"session.start","payload":[],"requestId":"req_list"}', 'req_list')).toEqual({
        code: ErrorCode.invalid_payload,
        message: 'payload must be a JSON object',
        domain: 'gateway',
        requestId: 'req_list',
      });
      expect(await refusal('{"type":"session.start","payload":"{}","requestId":"req_text"}', 'req_text')).toEqual({
        code: ErrorCode.invalid_payload,
        message: 'payload must be a JSON object',
        domain: 'gateway',
        requestId: 'req_text',
      });
      // The contract's own example, `payload: {}`, starts a session.
      expect((await socket.request('session.start', {})).type).toBe(ServerEvent.SessionConnected);
      await socket.close();
    });

    it('answers numbers beyond the double range (1e400) with the field\'s code, saying they must be finite', async () => {
      const ada = await stack.signIn('g-infinity', 'Ada');
      const socket = await stack.connectSocket(ada.accessToken);
      const refusal = (type: string, payloadJson: string, requestId: string): Promise<ErrorPayload> =>
        errorFor(socket, rawFrame(type, payloadJson, requestId), requestId);
      expect(await refusal('presence.location_update', '{"lat":1e400,"lng":3.3792}', 'req_lat')).toEqual({
        code: ErrorCode.invalid_location,
        message: 'lat must be a finite number between -90 and 90',
        domain: 'presence',
        requestId: 'req_lat',
      });
      // Optional fields too: forwarded as JSON, the value would have become null and been dropped silently.
      expect(await refusal('presence.location_update', '{"lat":6.5244,"lng":3.3792,"accuracyMeters":1e400}', 'req_acc')).toEqual({
        code: ErrorCode.invalid_location,
        message: 'accuracyMeters must be a finite number between 0 and 100000',
        domain: 'presence',
        requestId: 'req_acc',
      });
      expect(await refusal('proximity.heartbeat', '{"connectionId":"conn_x","token":"a3f9c2e1","rssi":-1e400}', 'req_rssi')).toEqual({
        code: ErrorCode.invalid_rssi,
        message: 'rssi must be a finite number between -127 and 0',
        domain: 'proximity',
        requestId: 'req_rssi',
      });
      expect(
        await refusal('chat.location.updated', '{"recipientId":"user_x","location":{"lat":6.5,"lng":-1e999}}', 'req_share'),
      ).toEqual({
        code: ErrorCode.invalid_location,
        message: 'location.lng must be a finite number between -180 and 180',
        domain: 'chat',
        requestId: 'req_share',
      });
      await socket.close();
    });

    it('refuses deeply nested payloads and prototype keys with invalid_payload, never a crash', async () => {
      const ada = await stack.signIn('g-structure', 'Ada');
      const socket = await stack.connectSocket(ada.accessToken);
      const refusal = (payloadJson: string, requestId: string): Promise<ErrorPayload> =>
        errorFor(socket, rawFrame('presence.location_update', payloadJson, requestId), requestId);
      const tooDeep = 'payload must not nest objects or arrays more than 16 levels deep';
      const nested = '{"a":'.repeat(20) + '{}' + '}'.repeat(20);
      expect(await refusal(nested, 'req_deep')).toEqual({
        code: ErrorCode.invalid_payload,
        message: tooDeep,
        domain: 'gateway',
        requestId: 'req_deep',
      });
      const hostile = `{"lat":1,"lng":2,"junk":${'['.repeat(1500)}${']'.repeat(1500)}}`;
      expect(await refusal(hostile, 'req_hostile')).toEqual({
        code: ErrorCode.invalid_payload,
        message: tooDeep,
        domain: 'gateway',
        requestId: 'req_hostile',
      });
      for (const key of ['__proto__', 'constructor', 'prototype']) {
        expect(await refusal(`{"lat":1,"lng":2,"${key}":{"isAdmin":true}}`, `req_${key}`)).toEqual({
          code: ErrorCode.invalid_payload,
          message: `${key} is not an accepted field`,
          domain: 'gateway',
          requestId: `req_${key}`,
        });
      }
      expect(
        (await socket.request('chat.location.share.start', JSON.parse('{"recipientId":"user_x","location":{"lat":1,"lng":2,"__proto__":{}}}'))).payload,
      ).toMatchObject({ code: ErrorCode.invalid_payload, message: 'location.__proto__ is not an accepted field', domain: 'gateway' });
      expect((await socket.request('session.start', {})).type).toBe(ServerEvent.SessionConnected);
      await socket.close();
    });

    it('answers a flood with rate_limited, echoing each refused frame\'s ids', async () => {
      const ada = await stack.signIn('g-flood', 'Ada');
      const socket = await stack.connectSocket(ada.accessToken);
      const frames = 200; // the default burst is 100 (WS_COMMANDS_PER_SECOND 50, ×2)
      const replies = Array.from({ length: frames }, (_, i) => socket.nextWithRequestId<ErrorPayload>(`req_flood_${i}`));
      for (let i = 0; i < frames; i++) {
        // The id follows the payload, so the gateway must find it past a payload carrying its own requestId.
        socket.sendRaw(`{"type":"teleport.now","payload":{"requestId":"inner"},"requestId":"req_flood_${i}","correlationId":"corr_${i}"}`);
      }
      const answered = await Promise.all(replies);
      expect(answered.slice(0, 100).map((reply) => reply.payload.code)).toEqual(Array(100).fill(ErrorCode.unknown_type));
      const last = answered[frames - 1];
      expect(last).toMatchObject({ type: ServerEvent.Error, requestId: `req_flood_${frames - 1}`, correlationId: `corr_${frames - 1}` });
      expect(last?.payload).toEqual({
        code: ErrorCode.rate_limited,
        message: 'Too many messages; slow down',
        domain: 'gateway',
        requestId: `req_flood_${frames - 1}`,
      });
      await socket.close();
    });

    it('closes a socket that sends a frame above the size limit', async () => {
      const ada = await stack.signIn('g-size', 'Ada');
      const socket = await stack.connectSocket(ada.accessToken);
      socket.send('session.start', { filler: 'x'.repeat(8192) });
      await waitFor(() => socket.closeCode !== undefined);
      expect(socket.closeCode).toBe(1009);
    });
  });
});

/** A frame with its payload written as JSON text, so it can hold what JSON.stringify cannot (1e400). */
function rawFrame(type: string, payloadJson: string, requestId: string): string {
  return `{"type":"${type}","payload":${payloadJson},"requestId":"${requestId}"}`;
}

/** Sends a raw frame and returns the error event's payload that answers it (matched by requestId). */
async function errorFor(socket: TestSocket, frame: string, requestId: string): Promise<ErrorPayload> {
  const reply = socket.nextWithRequestId<ErrorPayload>(requestId);
  socket.sendRaw(frame);
  const error = await reply;
  expect(error.type).toBe(ServerEvent.Error);
  return error.payload;
}

/** The HTTP answer to a WebSocket upgrade request that the server refuses. */
function upgradeResponse(url: string, bearer?: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      headers: {
        ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }));
    });
    request.on('upgrade', () => reject(new Error(`${url} was upgraded`)));
    request.on('error', reject);
    request.end();
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

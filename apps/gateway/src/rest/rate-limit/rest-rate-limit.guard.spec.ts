import { addressTracker, credentialOf, credentialTracker } from './rest-rate-limit.guard';

describe('REST rate limit trackers', () => {
  it('takes the refresh token of a body, else the bearer credential', () => {
    expect(credentialOf({ headers: { authorization: 'Bearer abc.def.ghi' } })).toBe('abc.def.ghi');
    expect(credentialOf({ headers: { authorization: 'bearer  venue-key ' } })).toBe('venue-key');
    expect(credentialOf({ headers: { authorization: 'Bearer\tabc' } })).toBe('abc');
    expect(credentialOf({ headers: {}, body: { refreshToken: 'rt' } })).toBe('rt');
    expect(credentialOf({ headers: { authorization: 'Bearer other' }, body: { refreshToken: 'rt' } })).toBe('rt');
    expect(credentialOf({ headers: { authorization: 'Basic xyz' }, body: { refreshToken: '' } })).toBeUndefined();
    expect(credentialOf({ headers: {}, body: 'text' })).toBeUndefined();
  });

  it('keys a credential by its hash, never the credential itself', () => {
    const tracker = credentialTracker({ headers: { authorization: 'Bearer secret-token' } });

    expect(tracker).not.toContain('secret-token');
    expect(tracker).toBe(credentialTracker({ headers: {}, body: { refreshToken: 'secret-token' } }));
    expect(tracker).not.toBe(credentialTracker({ headers: { authorization: 'Bearer other-token' } }));
  });

  it('keys an IPv6 client by its /64, as one host usually owns the whole prefix', () => {
    expect(addressTracker({ ip: '2001:db8:1:2:aaaa::1' })).toBe(addressTracker({ ip: '2001:db8:1:2:bbbb::2' }));
    expect(addressTracker({ ip: '2001:db8:1:3::1' })).not.toBe(addressTracker({ ip: '2001:db8:1:2::1' }));
    expect(addressTracker({ ip: '203.0.113.7' })).toBe('203.0.113.7');
  });
});

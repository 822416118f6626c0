import { readEnvelopeHead } from './socket-client';

describe(readEnvelopeHead.name, () => {
  it('reads type and requestId of a server envelope without parsing its payload', () => {
    const text = JSON.stringify({ type: 'radar.nearby.updated', payload: { nearbyUsers: [{ user: { name: '"requestId":"x"' } }] }, timestamp: 't', requestId: 'b1' });
    expect(readEnvelopeHead(text)).toEqual({ type: 'radar.nearby.updated', requestId: 'b1' });
  });

  it('handles pushes without ids and echoed correlation ids', () => {
    expect(readEnvelopeHead(JSON.stringify({ type: 'radar.nearby.updated', payload: {}, timestamp: 't' }))).toEqual({
      type: 'radar.nearby.updated',
      requestId: undefined,
    });
    const withCorrelation = JSON.stringify({ type: 'presence.updated', payload: {}, timestamp: 't', requestId: 'r', correlationId: 'c' });
    expect(readEnvelopeHead(withCorrelation)).toEqual({ type: 'presence.updated', requestId: 'r' });
  });

  it('parses error events fully to get their code', () => {
    const error = JSON.stringify({ type: 'error', payload: { code: 'rate_limited', message: 'm', domain: 'presence', requestId: 'r' }, timestamp: 't', requestId: 'r' });
    expect(readEnvelopeHead(error)).toEqual({ type: 'error', requestId: 'r', errorCode: 'rate_limited' });
  });

  it('reads an echoed client frame (the echo baseline)', () => {
    const frame = JSON.stringify({ type: 'presence.location_update', payload: { lat: 1, lng: 2 }, requestId: 'b7' });
    expect(readEnvelopeHead(frame)).toEqual({ type: 'presence.location_update', requestId: 'b7' });
  });
});

import * as contracts from './index';

// Loads the library the way every app does, so a broken re-export or import cycle fails here.
describe('@gisbi/contracts', () => {
  it('exposes the runtime pieces apps rely on', () => {
    expect(contracts.ClientEventSchemas['chat.typing']).toBe(contracts.ChatTypingPayload);
    expect(contracts.serviceForEvent(contracts.ClientEvent.GiftClaim)).toBe('gifts');
    expect(contracts.ServerEvent.Error).toBe('error');
    expect(contracts.ErrorCode.peer_gifts_disabled).toBe('peer_gifts_disabled');
    expect(contracts.Subjects.deliverUser('gisbi', 'u')).toBe('gisbi.deliver.user.u');
    expect(contracts.RpcMethod.all.bootstrap).toBe('bootstrap');
    expect(contracts.DomainEvent.ConnectionAccepted).toBe('connections.connection_accepted');
    expect(typeof contracts.UpdateProfileRequestDto).toBe('function');
    expect(contracts.parseClientEnvelope({ type: 'session.start', payload: {} }).ok).toBe(true);
    expect(contracts.inspectInputShape({}).hasNonFiniteNumber).toBe(false);
  });
});

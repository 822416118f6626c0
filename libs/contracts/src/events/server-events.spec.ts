import {
  ServerEvent,
  serverEvent,
  isServerEventType,
  type ServerEventMap,
  type ServerEventType,
} from './server-events';

// Compile-time: every key of ServerEventMap has a ServerEvent name (the reverse is enforced by `satisfies`).
type Named = (typeof ServerEvent)[keyof typeof ServerEvent];
type Unnamed = Exclude<ServerEventType, Named>;
const everyEventNamed: [Unnamed] extends [never] ? true : Unnamed = true;

describe('ServerEvent', () => {
  it('names every event of ServerEventMap', () => {
    expect(everyEventNamed).toBe(true);
    expect(new Set(Object.values(ServerEvent)).size).toBe(Object.keys(ServerEvent).length);
  });

  it('includes every server event type of the contract', () => {
    const contract = [
      'session.connected',
      'session.bootstrap',
      'presence.updated',
      'radar.nearby.updated',
      'connection.request.send',
      'connection.request.accept',
      'connection.request.reject',
      'connection.request.missed',
      'connection.close',
      'connection.history.fetch',
      'connection.ring',
      'proximity.session.start',
      'proximity.partner.confirmed',
      'proximity.session.updated',
      'proximity.heartbeat',
      'proximity.milestone.reached',
      'proximity.token.rotate',
      'chat.message.created',
      'chat.history.fetch',
      'chat.message.read',
      'chat.typing',
      'chat.location.share.start',
      'chat.location.updated',
      'chat.location.share.stop',
      'vibe.expired',
      'gift.history.fetch',
      'gift.sponsored.granted',
      'safety.report',
      'safety.block',
      'user.profile.updated',
      'error',
    ];
    for (const type of contract) expect(isServerEventType(type)).toBe(true);
  });

  it('builds typed events', () => {
    const payload: ServerEventMap['chat.typing'] = {
      status: 'sent',
      fromUserId: 'a',
      recipientId: 'b',
      isTyping: true,
    };

    expect(serverEvent(ServerEvent.ChatTyping, payload)).toEqual({ type: 'chat.typing', payload });
  });
});

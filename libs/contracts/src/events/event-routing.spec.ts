import { SERVICE_NAMES } from '../service-names';
import { ClientEvent, isClientEventType } from './client-events';
import { domainOfEvent, serviceForEvent } from './event-routing';

describe(serviceForEvent.name, () => {
  it.each([
    ['session.start', 'gateway'],
    ['presence.location_update', 'presence'],
    ['radar.set_visible', 'presence'],
    ['connection.request.send', 'connections'],
    ['connection.ring', 'connections'],
    ['safety.report', 'connections'],
    ['safety.unblock', 'connections'],
    ['chat.location.share.start', 'chat'],
    ['proximity.heartbeat', 'proximity'],
    ['gift.history.fetch', 'gifts'],
    ['gift.redeem', 'gifts'],
  ] as const)('routes %s to %s', (type, service) => {
    expect(serviceForEvent(type)).toBe(service);
  });

  it('routes every client event to a known service', () => {
    for (const type of Object.values(ClientEvent)) expect(SERVICE_NAMES).toContain(serviceForEvent(type));
  });
});

describe(domainOfEvent.name, () => {
  it.each([
    ['connection.request.send', 'connections'],
    ['gift.claim', 'gifts'],
    ['chat.typing', 'chat'],
    ['safety.block', 'safety'],
    ['radar.set_visible', 'radar'],
    ['presence.location_update', 'presence'],
    ['proximity.session.start', 'proximity'],
    ['session.start', 'session'],
    ['nonsense.type', 'gateway'],
    ['', 'gateway'],
    ['__proto__.x', 'gateway'],
  ])('reports %p as %p', (type, domain) => {
    expect(domainOfEvent(type)).toBe(domain);
  });
});

describe(isClientEventType.name, () => {
  it('knows the contract types and our extensions only', () => {
    expect(isClientEventType('chat.message.created')).toBe(true);
    expect(isClientEventType('gift.claim')).toBe(true);
    expect(isClientEventType('chat.message.read ')).toBe(false);
    expect(isClientEventType('session.bootstrap')).toBe(false);
    expect(isClientEventType(42)).toBe(false);
  });
});

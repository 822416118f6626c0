import { ServerEvent } from '@gisbi/contracts';
import { ContractSource, ContractTypes } from './contract-types';
import { findWorkspaceRoot } from './generate';
import { SchemaRegistry, type JsonSchema } from './json-schema';

// Reads the real libs/contracts with the TypeScript compiler (about a second), once for the file.
describe(ContractTypes.name, () => {
  let source: ContractSource;
  beforeAll(() => {
    source = ContractSource.load(findWorkspaceRoot(__dirname));
  });

  const setup = (): { sut: ContractTypes; component: (name: string) => JsonSchema } => {
    const registry = new SchemaRegistry();
    const sut = new ContractTypes(source, registry);
    sut.propertySchemas('ServerEventMap');
    return { sut, component: (name) => registry.resolve(`#/components/schemas/${name}`) ?? {} };
  };

  it('gives every server event a payload schema and meets no type it cannot map', () => {
    const { sut } = setup();

    expect([...sut.propertySchemas('ServerEventMap').keys()].sort()).toEqual(
      Object.values(ServerEvent).sort(),
    );
    expect(sut.problems()).toEqual([]);
  });

  it('names interfaces and aliases, and follows an alias of an interface to it', () => {
    const { sut } = setup();
    const payloads = sut.propertySchemas('ServerEventMap');

    expect(payloads.get('chat.message.created')).toEqual({ $ref: '#/components/schemas/Message' });
    expect(payloads.get('gift.sponsored.granted')).toEqual({ $ref: '#/components/schemas/SponsoredGift' });
    expect(payloads.get('presence.updated')).toEqual({ $ref: '#/components/schemas/PresenceUpdatedPayload' });
  });

  it('maps required, optional and nullable fields, with doc comments as descriptions', () => {
    const { component } = setup();
    const message = component('Message');

    expect(message.required).toEqual([
      'messageId',
      'senderId',
      'recipientId',
      'sender',
      'recipient',
      'content',
      'createdAt',
      'readAt',
    ]);
    expect(message.properties?.['readAt']).toEqual({ type: ['string', 'null'], format: 'date-time' });
    expect(message.properties?.['sender']).toEqual({ $ref: '#/components/schemas/User' });
    expect(message.properties?.['clientMessageId']).toMatchObject({
      type: 'string',
      description: expect.stringContaining('Extension'),
    });
    expect(component('User').properties?.['avatar']).toEqual({
      description: 'Absolute URL.',
      type: ['string', 'null'],
    });
  });

  it('maps literal unions to enums and a nullable interface to anyOf', () => {
    const { component } = setup();

    expect(component('ConnectionDirection')).toEqual({
      description: expect.any(String),
      type: 'string',
      enum: ['incoming', 'outgoing'],
    });
    expect(component('Presence').properties?.['location']).toEqual({
      anyOf: [{ $ref: '#/components/schemas/Location' }, { type: 'null' }],
    });
    expect(component('ChatTypingRelayPayload').properties?.['status']).toEqual({
      type: 'string',
      const: 'sent',
    });
  });

  it('maps records, empty records, index signatures and the empty tuple', () => {
    const { component } = setup();
    const bootstrap = component('BootstrapPayload');

    expect(bootstrap.properties?.['unreadMessageCount']).toMatchObject({
      type: 'object',
      additionalProperties: { type: 'number' },
    });
    expect(bootstrap.properties?.['gifts']).toMatchObject({ type: 'array', maxItems: 0 });
    expect(component('SessionConnectedPayload')).toMatchObject({
      type: 'object',
      additionalProperties: false,
    });
    expect(component('RiskSignals')).toMatchObject({
      type: 'object',
      additionalProperties: { type: 'boolean' },
    });
  });

  it('names a generic interface in its declared form', () => {
    const { sut, component } = setup();

    expect(sut.schemaOfExport('ServerEnvelope')).toEqual({ $ref: '#/components/schemas/ServerEnvelope' });
    expect(component('ServerEnvelope')).toMatchObject({
      required: ['type', 'payload', 'timestamp'],
      properties: { payload: {}, timestamp: { type: 'string', format: 'date-time' } },
    });
  });

  it('reads doc comments of const members by key and by value', () => {
    const { sut } = setup();
    const docs = sut.memberDocs('ClientEvent');

    expect(docs.get('gift.claim')).toMatch(/^Extension/);
    expect(docs.get('GiftClaim')).toBe(docs.get('gift.claim'));
    expect(sut.memberDocs('ServerEventMap').get('safety.unblock')).toBe('Extension.');
  });

  it('reads doc comments of payload classes', () => {
    const { sut } = setup();

    expect(sut.classDocs('ChatHistoryPagePayload')).toEqual({
      description: expect.stringContaining('chat.history.page'),
      properties: new Map([['before', expect.stringContaining('nextCursor')]]),
    });
    expect(sut.classDocs('Message')).toBeUndefined();
  });

  it('refuses a name the contracts do not export', () => {
    const { sut } = setup();

    expect(() => sut.schemaOfExport('NoSuchType')).toThrow('@gisbi/contracts exports no NoSuchType');
  });
});

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ClientEvent, ErrorCode, ServerEvent, SocketCloseCode } from '@gisbi/contracts';
import { ContractSource } from './contract-types';
import { CLIENT_EVENTS, CLOSE_CODES, ERROR_CODES, SERVER_EVENTS } from './event-catalog';
import {
  DEFAULT_CATALOG,
  findWorkspaceRoot,
  generateAsyncApi,
  OUTPUT_FILE,
  REGENERATE_COMMAND,
  renderDocument,
  unresolvedRefs,
  type AsyncApiDocument,
  type Catalog,
  type Generation,
} from './generate';

type Node = { [key: string]: unknown };

function at(document: AsyncApiDocument, ...keys: string[]): Node {
  let node: unknown = document;
  for (const key of keys) node = (node as Node | undefined)?.[key];
  return (node ?? {}) as Node;
}

function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

// Generation reads libs/contracts with the TypeScript compiler; the compiled view is shared by the file.
describe(generateAsyncApi.name, () => {
  const workspaceRoot = findWorkspaceRoot(__dirname);
  let source: ContractSource;
  let sut: Generation;
  beforeAll(() => {
    source = ContractSource.load(workspaceRoot);
    sut = generateAsyncApi({ workspaceRoot, source });
  });
  const generateWith = (catalog: Catalog): Generation => generateAsyncApi({ workspaceRoot, source, catalog });

  it('finds nothing to fix in the contracts and the catalog', () => {
    expect(sut.problems).toEqual([]);
  });

  it('is an AsyncAPI 3.0 document with both servers and bearer authentication', () => {
    const { document } = sut;

    expect(document['asyncapi']).toBe('3.0.0');
    expect(at(document, 'servers', 'production')).toMatchObject({
      host: 'api.ockde.com',
      protocol: 'wss',
      pathname: '/ws',
    });
    expect(at(document, 'servers', 'local')).toMatchObject({
      host: '127.0.0.1:3000',
      protocol: 'ws',
      pathname: '/ws',
    });
    expect(at(document, 'components', 'securitySchemes', 'bearerAccessToken')).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      description: expect.stringContaining('401'),
    });
    expect(unresolvedRefs(document)).toEqual([]);
  });

  it.each(Object.values(ClientEvent))(
    'describes client event %s: message, receive operation, replies',
    (type) => {
      const operation = at(sut.document, 'operations', `client.${type}`);

      expect(at(sut.document, 'components', 'messages', `client.${type}`)).toMatchObject({ name: type });
      expect(at(sut.document, 'channels', 'socket', 'messages', `client.${type}`)).toEqual({
        $ref: `#/components/messages/client.${type}`,
      });
      expect(operation).toMatchObject({
        action: 'receive',
        messages: [{ $ref: `#/channels/socket/messages/client.${type}` }],
      });
      expect(operation['reply']).toMatchObject({
        messages: expect.arrayContaining([{ $ref: '#/channels/socket/messages/server.error' }]),
      });
      expect(operation['x-replies']).toEqual(CLIENT_EVENTS[type]?.replies);
    },
  );

  it.each(Object.values(ServerEvent))(
    'describes server event %s: message with examples, send operation',
    (type) => {
      const message = at(sut.document, 'components', 'messages', `server.${type}`);

      expect(message).toMatchObject({ name: type, summary: SERVER_EVENTS[type]?.summary });
      expect(message['examples']).toEqual(
        expect.arrayContaining([expect.objectContaining({ payload: expect.objectContaining({ type }) })]),
      );
      expect(at(sut.document, 'operations', `server.${type}`)).toMatchObject({ action: 'send' });
    },
  );

  it('lists every error code with its meaning in the ErrorCode schema and the error message', () => {
    const schema = at(sut.document, 'components', 'schemas', 'ErrorCode');
    const errorMessage = at(sut.document, 'components', 'messages', 'server.error');

    expect(schema['oneOf']).toEqual(
      Object.values(ErrorCode).map((code) =>
        expect.objectContaining({ const: code, description: ERROR_CODES[code]?.description }),
      ),
    );
    for (const code of Object.values(ErrorCode))
      expect(errorMessage['description']).toContain(`| \`${code}\` |`);
  });

  it('derives client payload schemas and their error codes from the validation metadata', () => {
    const payload = at(sut.document, 'components', 'schemas', 'ProximityTokenPayload');
    const operation = at(sut.document, 'operations', 'client.proximity.heartbeat');

    expect(payload['required']).toEqual(['connectionId', 'token', 'rssi']);
    expect(at(payload, 'properties', 'rssi')).toMatchObject({
      type: 'number',
      minimum: -127,
      maximum: 0,
      'x-error-codes': ['missing_rssi', 'invalid_rssi'],
    });
    expect(operation['x-error-codes']).toEqual(
      expect.arrayContaining([
        'missing_connectionId',
        'missing_token',
        'invalid_token',
        'missing_rssi',
        'invalid_rssi',
        'not_allowed',
      ]),
    );
    expect(operation).toMatchObject({ 'x-service': 'proximity', 'x-error-domain': 'proximity' });
  });

  it('marks the extensions beyond the contract', () => {
    const extension = (kind: string, name: string): unknown =>
      at(sut.document, 'components', 'messages', `${kind}.${name}`)['x-extension'];

    for (const type of ['gift.claim', 'safety.unblock', 'chat.history.page'])
      expect(extension('client', type)).toBe(true);
    for (const type of ['session.reconnect', 'gift.claim', 'safety.unblock', 'chat.history.page'])
      expect(extension('server', type)).toBe(true);
    expect(extension('client', 'chat.typing')).toBeUndefined();
    expect(at(sut.document, 'components', 'schemas', 'ErrorCode')['oneOf']).toEqual(
      expect.arrayContaining([
        { const: 'rate_limited', description: expect.any(String), 'x-extension': true },
      ]),
    );
  });

  it('lists the WebSocket close codes of the contracts', () => {
    expect(at(sut.document, 'channels', 'socket')['x-close-codes']).toEqual(
      Object.entries(SocketCloseCode).map(([name, code]) => ({ code, name, description: CLOSE_CODES[name] })),
    );
  });

  it('documents how to regenerate it at the top of the file', () => {
    expect(Object.keys(sut.document).slice(0, 2)).toEqual(['asyncapi', 'x-generated']);
    expect(sut.document['x-generated']).toMatchObject({ regenerate: REGENERATE_COMMAND });
  });

  it(`matches the committed ${OUTPUT_FILE} (regenerate it after contract changes)`, () => {
    const file = path.join(workspaceRoot, OUTPUT_FILE);
    const committed = existsSync(file) ? readFileSync(file, 'utf8') : '';

    expect(committed === renderDocument(sut.document) ? 'current' : `stale: run ${REGENERATE_COMMAND}`).toBe(
      'current',
    );
  });

  it('lists every catalog entry a new event, error code or close code needs', () => {
    const { problems } = generateWith({
      clientEvents: without(CLIENT_EVENTS, 'chat.typing'),
      serverEvents: without(SERVER_EVENTS, 'vibe.expired'),
      errorCodes: without(ERROR_CODES, 'not_ready'),
      closeCodes: without(CLOSE_CODES, 'AccountDeleted'),
    });

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/add CLIENT_EVENTS entries for "chat.typing"/),
        expect.stringMatching(/add SERVER_EVENTS entries for "vibe.expired"/),
        expect.stringMatching(/add ERROR_CODES entries for "not_ready"/),
        expect.stringMatching(/add CLOSE_CODES entries for "AccountDeleted"/),
      ]),
    );
  });

  it('reports catalog entries the contracts no longer have, and replies or errors that do not exist', () => {
    const typing = CLIENT_EVENTS['chat.typing']!;
    const { problems } = generateWith({
      ...DEFAULT_CATALOG,
      clientEvents: {
        ...CLIENT_EVENTS,
        'chat.typing': {
          ...typing,
          replies: [{ event: 'chat.typed', to: 'recipient' }],
          errors: ['no_such_code'],
        },
      },
      errorCodes: { ...ERROR_CODES, retired_code: { description: 'gone' } },
    });

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('ERROR_CODES has entries for "retired_code"'),
        expect.stringContaining('chat.typing replies with "chat.typed", which is not a ServerEvent'),
        expect.stringContaining('chat.typing lists error "no_such_code", which is not an ErrorCode'),
      ]),
    );
  });

  it('refuses examples that do not match the contracts', () => {
    const block = SERVER_EVENTS['safety.block']!;
    const report = CLIENT_EVENTS['safety.report']!;
    const { problems } = generateWith({
      ...DEFAULT_CATALOG,
      clientEvents: {
        ...CLIENT_EVENTS,
        'safety.report': { ...report, example: { reportedUserId: 'user_456' } },
      },
      serverEvents: {
        ...SERVER_EVENTS,
        'safety.block': { ...block, examples: [{ name: 'bad', payload: { blockedUserId: 5, extra: true } }] },
      },
    });

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          "example of safety.report is refused by the contract's validation (missing_reason",
        ),
        expect.stringContaining(
          'example "bad" of server event safety.block does not match its schema: $.payload.blockedUserId: expected string',
        ),
        expect.stringContaining('$.payload.extra: not a declared property'),
      ]),
    );
  });

  it('requires entries the contracts call extensions to be marked as such', () => {
    const claim = CLIENT_EVENTS['gift.claim']!;
    const { problems } = generateWith({
      ...DEFAULT_CATALOG,
      clientEvents: { ...CLIENT_EVENTS, 'gift.claim': { ...claim, extension: false } },
    });

    expect(problems).toEqual([
      expect.stringContaining('the contracts call client event "gift.claim" an extension'),
    ]);
  });
});

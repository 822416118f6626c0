// Generates docs/asyncapi.json, the AsyncAPI 3.0 description of the /ws socket protocol, from
// libs/contracts: client payload schemas and their error codes from the class-validator metadata of
// ClientEventSchemas, server payload schemas from the TypeScript types of ServerEventMap, the error
// codes from ErrorCode. tools/asyncapi/src/event-catalog.ts adds what types cannot say (who receives
// what, descriptions, contract examples). Exits non-zero, writing nothing, when the catalog lacks an
// event or code, or anything in the document does not check out.
//
//   node tools/scripts/build.mjs --quiet && node dist/tools/asyncapi/src/generate.js          (write)
//   node tools/scripts/build.mjs --quiet && node dist/tools/asyncapi/src/generate.js --check  (CI: is it current?)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ClientEnvelopeSchema,
  ClientEvent,
  ClientEventSchemas,
  domainOfEvent,
  ErrorCode,
  isClientEventType,
  isErrorCode,
  serviceForEvent,
  ServerEvent,
  SocketCloseCode,
  validateInput,
  type ClientEventType,
} from '@gisbi/contracts';
import { ContractSource, ContractTypes } from './contract-types';
import {
  AUDIENCE_DESCRIPTIONS,
  CLIENT_EVENTS,
  CLOSE_CODES,
  ERROR_CODES,
  PROTOCOL,
  PROTOCOL_ERROR_CODES,
  SERVER_EVENTS,
  type ClientEventEntry,
  type ErrorCodeEntry,
  type Reply,
  type ServerEventEntry,
} from './event-catalog';
import { checkValue, SchemaRegistry, type JsonObject, type JsonSchema } from './json-schema';
import { ValidationSchemas } from './validation-schema';

export const OUTPUT_FILE = 'docs/asyncapi.json';
export const REGENERATE_COMMAND =
  'node tools/scripts/build.mjs --quiet && node dist/tools/asyncapi/src/generate.js';
const CATALOG_FILE = 'tools/asyncapi/src/event-catalog.ts';
const EXAMPLE_TIMESTAMP = '2026-04-17T14:12:20Z';

export interface Catalog {
  clientEvents: Readonly<Record<string, ClientEventEntry>>;
  serverEvents: Readonly<Record<string, ServerEventEntry>>;
  errorCodes: Readonly<Record<string, ErrorCodeEntry>>;
  /** Descriptions of SocketCloseCode members, by key. */
  closeCodes: Readonly<Record<string, string>>;
}

export const DEFAULT_CATALOG: Catalog = {
  clientEvents: CLIENT_EVENTS,
  serverEvents: SERVER_EVENTS,
  errorCodes: ERROR_CODES,
  closeCodes: CLOSE_CODES,
};

export interface GenerateOptions {
  workspaceRoot: string;
  catalog?: Catalog;
  /** The compiled contracts, when the caller already has them (tests generate several times). */
  source?: ContractSource;
}

export type AsyncApiDocument = { [key: string]: unknown };

export interface Generation {
  document: AsyncApiDocument;
  /** Everything that must be fixed before the document may be written; empty when it is sound. */
  problems: string[];
}

const channelRef = { $ref: '#/channels/socket' };
const clientMessageId = (type: string): string => `client.${type}`;
const serverMessageId = (type: string): string => `server.${type}`;
const messageRef = (id: string): JsonObject => ({ $ref: `#/channels/socket/messages/${id}` });

export function generateAsyncApi(options: GenerateOptions): Generation {
  const catalog = options.catalog ?? DEFAULT_CATALOG;
  const clientTypes: string[] = Object.values(ClientEvent);
  const serverTypes: string[] = Object.values(ServerEvent);
  const errorCodes: string[] = Object.values(ErrorCode);
  const problems = catalogProblems(catalog, clientTypes, serverTypes, errorCodes);

  const registry = new SchemaRegistry();
  const types = new ContractTypes(options.source ?? ContractSource.load(options.workspaceRoot), registry);
  const validation = new ValidationSchemas({
    registry,
    fallbackCode: ErrorCode.invalid_payload,
    isErrorCode,
    docs: (className) => types.classDocs(className),
  });
  problems.push(...typeProblems(types, catalog, serverTypes));

  const clientEnvelope = validation.schemaOf(ClientEnvelopeSchema, 'ClientEnvelope');
  const serverEnvelope = types.schemaOfExport('ServerEnvelope');
  const errorCodeSchema = registry.refTo('ErrorCode', 'ErrorCode', () =>
    errorCodeComponent(errorCodes, catalog),
  );
  const serverPayloads = types.propertySchemas('ServerEventMap');

  const closeCodes = Object.entries(SocketCloseCode).map(([name, code]) => ({
    code,
    name,
    description: catalog.closeCodes[name] ?? '',
  }));
  const messages: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const checks: Array<{ label: string; value: unknown; schema: JsonSchema }> = [];

  for (const type of clientTypes) {
    const entry = catalog.clientEvents[type];
    if (!entry || !isClientEventType(type)) continue;
    const payloadClass = ClientEventSchemas[type];
    const payload = validation.schemaOf(payloadClass);
    const validationCodes = validation.errorCodesOf(payloadClass);
    const envelope: JsonSchema = {
      allOf: [
        clientEnvelope,
        {
          type: 'object',
          required: ['type', 'payload'],
          properties: { type: { type: 'string', const: type }, payload },
        },
      ],
    };
    const example = { type, payload: entry.example, requestId: 'req_123' };
    messages[clientMessageId(type)] = {
      name: type,
      title: `${type} (client → server)`,
      summary: entry.summary,
      ...(entry.description ? { description: entry.description } : {}),
      contentType: 'application/json',
      payload: envelope,
      examples: [{ name: 'contract', payload: example }],
      tags: [{ name: firstSegment(type) }],
      ...(entry.extension ? { 'x-extension': true } : {}),
    };
    const serviceCodes = entry.errors.filter((code) => !validationCodes.includes(code));
    const replyEvents = unique([...entry.replies.map((reply) => reply.event), ServerEvent.Error]);
    operations[clientMessageId(type)] = {
      action: 'receive',
      channel: channelRef,
      title: type,
      summary: entry.summary,
      description: clientOperationDescription(type, entry, validationCodes, serviceCodes),
      messages: [messageRef(clientMessageId(type))],
      reply: {
        channel: channelRef,
        messages: replyEvents
          .filter((event) => serverTypes.includes(event))
          .map((event) => messageRef(serverMessageId(event))),
      },
      tags: [{ name: firstSegment(type) }],
      'x-service': serviceForEvent(type),
      'x-error-domain': domainOfEvent(type),
      'x-replies': entry.replies.map((reply) => ({ ...reply })),
      'x-error-codes': unique([...validationCodes, ...serviceCodes]),
      ...(entry.extension ? { 'x-extension': true } : {}),
    };
    const verdict = validateInput(payloadClass, entry.example);
    if (!verdict.ok)
      problems.push(
        `${CATALOG_FILE}: example of ${type} is refused by the contract's validation (${verdict.code}: ${verdict.message})`,
      );
    checks.push({ label: `example of client event ${type}`, value: example, schema: envelope });
  }

  for (const type of serverTypes) {
    const entry = catalog.serverEvents[type];
    const payloadSchema = serverPayloads.get(type);
    if (!entry || !payloadSchema) continue;
    const payload: JsonSchema =
      type === ServerEvent.Error
        ? { allOf: [payloadSchema, { type: 'object', properties: { code: errorCodeSchema } }] }
        : payloadSchema;
    const envelope: JsonSchema = {
      allOf: [
        serverEnvelope,
        { type: 'object', properties: { type: { type: 'string', const: type }, payload } },
      ],
    };
    const examples = entry.examples.map((example) => ({
      name: example.name,
      payload: {
        type,
        payload: example.payload,
        timestamp: EXAMPLE_TIMESTAMP,
        ...(example.requestId ? { requestId: example.requestId } : {}),
      },
    }));
    for (const example of examples)
      checks.push({
        label: `example "${example.name}" of server event ${type}`,
        value: example.payload,
        schema: envelope,
      });
    const description = serverOperationDescription(type, entry, catalog);
    messages[serverMessageId(type)] = {
      name: type,
      title: `${type} (server → client)`,
      summary: entry.summary,
      ...(type === ServerEvent.Error
        ? { description: `${entry.description ?? ''}\n\n${errorCodeTable(errorCodes, catalog)}`.trim() }
        : entry.description
          ? { description: entry.description }
          : {}),
      contentType: 'application/json',
      payload: envelope,
      examples,
      tags: [{ name: firstSegment(type) }],
      ...(entry.extension ? { 'x-extension': true } : {}),
    };
    operations[serverMessageId(type)] = {
      action: 'send',
      channel: channelRef,
      title: type,
      summary: entry.summary,
      description,
      messages: [messageRef(serverMessageId(type))],
      tags: [{ name: firstSegment(type) }],
      'x-in-reply-to': clientTypes.filter((client) =>
        catalog.clientEvents[client]?.replies.some((reply) => reply.event === type),
      ),
      ...(entry.pushes ? { 'x-pushed': [...entry.pushes] } : {}),
      ...(entry.extension ? { 'x-extension': true } : {}),
    };
  }

  const document: AsyncApiDocument = {
    asyncapi: '3.0.0',
    'x-generated': {
      note:
        'Generated; do not edit. Schemas and error codes come from libs/contracts, the rest from ' +
        CATALOG_FILE +
        '.',
      regenerate: REGENERATE_COMMAND,
      check: `${REGENERATE_COMMAND} --check`,
    },
    info: {
      title: 'GISBI socket API',
      version: packageVersion(options.workspaceRoot),
      description: infoDescription(),
      tags: unique([...clientTypes, ...serverTypes].map(firstSegment)).map((name) => ({ name })),
    },
    defaultContentType: 'application/json',
    servers: {
      production: {
        host: 'api.ockde.com',
        pathname: '/ws',
        protocol: 'wss',
        title: 'Production',
        description: 'Single socket endpoint for all realtime events.',
        security: [{ $ref: '#/components/securitySchemes/bearerAccessToken' }],
      },
      local: {
        host: '127.0.0.1:3000',
        pathname: '/ws',
        protocol: 'ws',
        title: 'Local development',
        description: 'The gateway of a local stack (`pnpm start`), listening on GATEWAY_PORT (3000).',
        security: [{ $ref: '#/components/securitySchemes/bearerAccessToken' }],
      },
    },
    channels: {
      socket: {
        address: '/ws',
        title: 'The GISBI socket',
        description: [
          PROTOCOL.handshake,
          PROTOCOL.frames,
          PROTOCOL.limits,
          `Protocol errors any message can receive: ${codeList(PROTOCOL_ERROR_CODES)}.`,
          `Close codes the server uses:\n${closeCodes.map((close) => `- ${close.code} (${close.name}): ${close.description}`).join('\n')}`,
        ].join('\n\n'),
        servers: [{ $ref: '#/servers/production' }, { $ref: '#/servers/local' }],
        messages: Object.fromEntries(
          Object.keys(messages).map((id) => [id, { $ref: `#/components/messages/${id}` }]),
        ),
        bindings: {
          ws: {
            method: 'GET',
            headers: {
              type: 'object',
              required: ['Authorization'],
              properties: {
                Authorization: {
                  type: 'string',
                  pattern: '^Bearer .+$',
                  description: 'Bearer <accessToken>',
                },
              },
            },
            bindingVersion: '0.1.0',
          },
        },
        'x-protocol-error-codes': [...PROTOCOL_ERROR_CODES],
        'x-close-codes': closeCodes,
      },
    },
    operations,
    components: {
      securitySchemes: {
        bearerAccessToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: PROTOCOL.handshake,
        },
      },
      messages,
      schemas: {},
    },
  };

  for (const check of checks) {
    for (const error of checkValue(check.value, check.schema, registry.resolve, { strict: true })) {
      problems.push(`${CATALOG_FILE}: ${check.label} does not match its schema: ${error}`);
    }
  }
  problems.push(...types.problems(), ...validation.problems());
  (document['components'] as { schemas: unknown }).schemas = registry.components();
  for (const ref of unresolvedRefs(document)) problems.push(`document: $ref ${ref} does not resolve`);
  return { document, problems: unique(problems) };
}

export function renderDocument(document: AsyncApiDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * The nearest directory holding pnpm-workspace.yaml above the first start that has one (the script's
 * own directory works from src/ and dist/; the working directory covers a build placed elsewhere).
 */
export function findWorkspaceRoot(...starts: string[]): string {
  for (const start of starts) {
    let dir = path.resolve(start);
    for (;;) {
      if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`no pnpm-workspace.yaml above ${starts.join(' or ')}`);
}

// ---------------------------------------------------------------------------------------------------
// Completeness

function catalogProblems(
  catalog: Catalog,
  clientTypes: string[],
  serverTypes: string[],
  errorCodes: string[],
): string[] {
  const problems: string[] = [];
  const missing = (kind: string, what: string, names: string[]): void => {
    if (names.length > 0)
      problems.push(
        `${CATALOG_FILE}: add ${kind} for ${names.map((name) => `"${name}"`).join(', ')} (${what})`,
      );
  };
  const stale = (kind: string, names: string[]): void => {
    if (names.length > 0)
      problems.push(
        `${CATALOG_FILE}: ${kind} has entries for ${names.map((name) => `"${name}"`).join(', ')}, which the contracts no longer have`,
      );
  };
  missing(
    'CLIENT_EVENTS entries',
    'summary, contract example payload, replies and their audiences, domain error codes',
    clientTypes.filter((type) => !catalog.clientEvents[type]),
  );
  missing(
    'SERVER_EVENTS entries',
    'summary, description, contract example payloads',
    serverTypes.filter((type) => !catalog.serverEvents[type]),
  );
  missing(
    'ERROR_CODES entries',
    'what the code means; extension: true unless the contract lists it',
    errorCodes.filter((code) => !catalog.errorCodes[code]),
  );
  stale(
    'CLIENT_EVENTS',
    Object.keys(catalog.clientEvents).filter((type) => !clientTypes.includes(type)),
  );
  stale(
    'SERVER_EVENTS',
    Object.keys(catalog.serverEvents).filter((type) => !serverTypes.includes(type)),
  );
  stale(
    'ERROR_CODES',
    Object.keys(catalog.errorCodes).filter((code) => !errorCodes.includes(code)),
  );
  const closeCodeNames = Object.keys(SocketCloseCode);
  missing(
    'CLOSE_CODES entries',
    'what the WebSocket close code tells the client',
    closeCodeNames.filter((name) => !catalog.closeCodes[name]),
  );
  stale(
    'CLOSE_CODES',
    Object.keys(catalog.closeCodes).filter((name) => !closeCodeNames.includes(name)),
  );
  for (const [type, entry] of Object.entries(catalog.clientEvents)) {
    for (const reply of entry.replies) {
      if (!serverTypes.includes(reply.event))
        problems.push(`${CATALOG_FILE}: ${type} replies with "${reply.event}", which is not a ServerEvent`);
    }
    for (const code of entry.errors) {
      if (!errorCodes.includes(code))
        problems.push(`${CATALOG_FILE}: ${type} lists error "${code}", which is not an ErrorCode`);
    }
  }
  for (const code of PROTOCOL_ERROR_CODES) {
    if (!errorCodes.includes(code))
      problems.push(`${CATALOG_FILE}: PROTOCOL_ERROR_CODES lists "${code}", which is not an ErrorCode`);
  }
  return problems;
}

/** ServerEventMap (types) and ServerEvent (runtime) must agree; doc comments saying "Extension" must be marked so. */
function typeProblems(types: ContractTypes, catalog: Catalog, serverTypes: string[]): string[] {
  const problems: string[] = [];
  const mapped = [...types.propertySchemas('ServerEventMap').keys()];
  for (const type of mapped.filter((name) => !serverTypes.includes(name))) {
    problems.push(`libs/contracts: ServerEventMap has "${type}" but the ServerEvent const does not`);
  }
  for (const type of serverTypes.filter((name) => !mapped.includes(name))) {
    problems.push(`libs/contracts: ServerEvent has "${type}" but ServerEventMap gives it no payload type`);
  }
  const unmarked = (
    docs: Map<string, string>,
    entries: Readonly<Record<string, { extension?: boolean }>>,
    kind: string,
  ): void => {
    for (const [name, doc] of docs) {
      const entry = entries[name];
      if (entry && /^extension\b/i.test(doc) && !entry.extension) {
        problems.push(
          `${CATALOG_FILE}: the contracts call ${kind} "${name}" an extension; mark its entry extension: true`,
        );
      }
    }
  };
  unmarked(types.memberDocs('ClientEvent'), catalog.clientEvents, 'client event');
  unmarked(types.memberDocs('ServerEventMap'), catalog.serverEvents, 'server event');
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// Text

function infoDescription(): string {
  const audiences = Object.entries(AUDIENCE_DESCRIPTIONS)
    .map(([audience, description]) => `- \`${audience}\`: ${description}`)
    .join('\n');
  return [
    'Realtime API of GISBI over one WebSocket. Clients send commands (operations with action `receive`: the server receives them) ' +
      'and get server events (action `send`). Each command operation lists, in `x-replies`, the events it produces and who receives ' +
      "them, and in `x-error-codes` every code its `error` event can carry (field validation codes, then the service's own).",
    'Items marked `x-extension: true` are GISBI additions beyond the contract document.',
    `${PROTOCOL.handshake}`,
    `${PROTOCOL.frames}`,
    `${PROTOCOL.limits}`,
    `Audiences used in \`x-replies\`:\n${audiences}`,
    `This document is generated from libs/contracts and ${CATALOG_FILE}; regenerate it with \`${REGENERATE_COMMAND}\`.`,
  ].join('\n\n');
}

function describeReply(reply: Reply): string {
  return `\`${reply.event}\` → ${AUDIENCE_DESCRIPTIONS[reply.to]}${reply.when ? ` — ${reply.when}` : ''}`;
}

function clientOperationDescription(
  type: ClientEventType,
  entry: ClientEventEntry,
  validationCodes: string[],
  serviceCodes: string[],
): string {
  const parts: string[] = [];
  if (entry.description) parts.push(entry.description);
  parts.push(
    entry.replies.length > 0
      ? `**Replies**\n${entry.replies.map((reply) => `- ${describeReply(reply)}`).join('\n')}`
      : '**Replies**: none besides the `error` event.',
  );
  const errors = [`**Errors** (\`error\` event, domain \`${domainOfEvent(type)}\`)`];
  if (validationCodes.length > 0) errors.push(`- payload validation: ${codeList(validationCodes)}`);
  if (serviceCodes.length > 0) errors.push(`- ${serviceForEvent(type)}: ${codeList(serviceCodes)}`);
  errors.push(`- protocol: ${codeList(PROTOCOL_ERROR_CODES)}`);
  parts.push(errors.join('\n'));
  return parts.join('\n\n');
}

function serverOperationDescription(type: string, entry: ServerEventEntry, catalog: Catalog): string {
  const parts: string[] = [];
  if (entry.description) parts.push(entry.description);
  const answers: string[] = [];
  for (const [client, clientEntry] of Object.entries(catalog.clientEvents)) {
    for (const reply of clientEntry.replies) {
      if (reply.event === type)
        answers.push(
          `- in answer to \`${client}\` → ${AUDIENCE_DESCRIPTIONS[reply.to]}${reply.when ? ` — ${reply.when}` : ''}`,
        );
    }
  }
  if (type === ServerEvent.Error)
    answers.push('- in answer to any client message that cannot be handled → the sending socket only');
  for (const push of entry.pushes ?? []) answers.push(`- pushed ${push}`);
  if (answers.length > 0) parts.push(`**Sent**\n${answers.join('\n')}`);
  return parts.join('\n\n');
}

function errorCodeComponent(codes: string[], catalog: Catalog): JsonSchema {
  return {
    type: 'string',
    description: 'Every error code a client can receive, in the socket `error` event or a REST error body.',
    oneOf: codes.map((code) => {
      const entry = catalog.errorCodes[code];
      return {
        const: code,
        ...(entry ? { description: entry.description } : {}),
        ...(entry?.extension ? { 'x-extension': true } : {}),
      };
    }),
  };
}

function errorCodeTable(codes: string[], catalog: Catalog): string {
  const rows = codes.map((code) => {
    const entry = catalog.errorCodes[code];
    return `| \`${code}\` | ${entry?.extension ? 'extension' : 'contract'} | ${entry?.description ?? ''} |`;
  });
  return ['| code | source | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

function codeList(codes: readonly string[]): string {
  return codes.map((code) => `\`${code}\``).join(', ');
}

// ---------------------------------------------------------------------------------------------------
// Helpers

function firstSegment(type: string): string {
  const dot = type.indexOf('.');
  return dot === -1 ? type : type.slice(0, dot);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function packageVersion(workspaceRoot: string): string {
  const manifest: unknown = JSON.parse(readFileSync(path.join(workspaceRoot, 'package.json'), 'utf8'));
  const version =
    typeof manifest === 'object' && manifest !== null
      ? (manifest as Record<string, unknown>)['version']
      : undefined;
  return typeof version === 'string' ? version : '0.0.0';
}

/** Every local `$ref` in the document that points nowhere. */
export function unresolvedRefs(document: AsyncApiDocument): string[] {
  const refs = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') refs.add(value);
        else walk(value);
      }
    }
  };
  walk(document);
  return [...refs].filter((ref) => resolvePointer(document, ref) === undefined);
}

function resolvePointer(document: AsyncApiDocument, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = document;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

// ---------------------------------------------------------------------------------------------------
// Command line

function main(args: string[]): number {
  const root = findWorkspaceRoot(__dirname, process.cwd());
  const { document, problems } = generateAsyncApi({ workspaceRoot: root });
  if (problems.length > 0) {
    console.error(
      `asyncapi: ${problems.length} problem(s); ${OUTPUT_FILE} was not written:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
    );
    return 1;
  }
  const text = renderDocument(document);
  const file = path.join(root, OUTPUT_FILE);
  const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (args.includes('--check')) {
    if (current === text) {
      console.log(`asyncapi: ${OUTPUT_FILE} is current`);
      return 0;
    }
    console.error(`asyncapi: ${OUTPUT_FILE} is out of date; regenerate it with: ${REGENERATE_COMMAND}`);
    return 1;
  }
  if (current === text) {
    console.log(`asyncapi: ${OUTPUT_FILE} unchanged`);
  } else {
    writeFileSync(file, text);
    console.log(`asyncapi: wrote ${OUTPUT_FILE}`);
  }
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

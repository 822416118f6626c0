export * from './chat.payloads';
export * from './connection.payloads';
export * from './gift.payloads';
export * from './presence.payloads';
export * from './proximity.payloads';
export * from './safety.payloads';
export * from './session.payloads';
export * from './user.payloads';

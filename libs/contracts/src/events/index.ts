export * from './client-events';
export * from './event-routing';
export * from './payloads';
export * from './server-events';

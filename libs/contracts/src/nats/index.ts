export * from './command';
export * from './control';
export * from './domain-events';
export * from './rpc';
export * from './subjects';

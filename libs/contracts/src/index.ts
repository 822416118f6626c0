// @gisbi/contracts: the socket and REST contract, the NATS messaging contract, and the validation
// that turns untrusted input into them. Depends on nothing of ours.
import 'reflect-metadata';

export * from './commands';
export * from './envelope';
export * from './errors';
export * from './events';
export * from './ids';
export * from './models';
export * from './nats';
export * from './rest';
export * from './service-names';
export * from './validation';

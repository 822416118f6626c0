export * from './clock/fake-clock';
export * from './infra/infra-endpoints';
export * from './infra/test-environment';
export * from './infra/test-app';
export * from './socket/test-socket';
export * from './e2e/free-port';
export * from './e2e/app-process';
export * from './e2e/stack';

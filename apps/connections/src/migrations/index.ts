import { InitConnections1764720000000 } from './1764720000000-init-connections';

/** Every migration of the connections schema, in order. */
export const connectionsMigrations = [InitConnections1764720000000];

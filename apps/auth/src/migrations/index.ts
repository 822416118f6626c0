import { InitAuth1764720000000 } from './1764720000000-init-auth';

/** Every migration of the auth schema, in order. */
export const authMigrations = [InitAuth1764720000000];

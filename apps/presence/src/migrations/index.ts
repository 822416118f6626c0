import { InitPresence1764720000000 } from './1764720000000-init-presence';

/** Every migration of the presence schema, in order. */
export const presenceMigrations = [InitPresence1764720000000];

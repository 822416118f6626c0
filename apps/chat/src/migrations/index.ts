import { InitChat1764720000000 } from './1764720000000-init-chat';

/** Every migration of the chat schema, in order. */
export const chatMigrations = [InitChat1764720000000];

import { InitAuth1764720000000 } from './1764720000000-init-auth';
import { DevicePlatformOptional1764720000001 } from './1764720000001-device-platform-optional';

/** Every migration of the auth schema, in order. */
export const authMigrations = [InitAuth1764720000000, DevicePlatformOptional1764720000001];

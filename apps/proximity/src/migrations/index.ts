import { InitProximity1764720000000 } from './1764720000000-init-proximity';

/** Every migration of the proximity schema, in order. */
export const proximityMigrations = [InitProximity1764720000000];

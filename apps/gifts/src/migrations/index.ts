import { InitGifts1764720000000 } from './1764720000000-init-gifts';

/** Every migration of the gifts schema, in order. */
export const giftsMigrations = [InitGifts1764720000000];

import 'reflect-metadata';
import { runMain } from '@gisbi/platform';
import { migrateGifts, startGifts } from './create-gifts';

runMain({ start: () => startGifts(), migrate: () => migrateGifts() });

import 'reflect-metadata';
import { runMain } from '@gisbi/platform';
import { migratePresence, startPresence } from './create-presence';

runMain({ start: () => startPresence(), migrate: () => migratePresence() });

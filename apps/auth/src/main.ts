import 'reflect-metadata';
import { runMain } from '@gisbi/platform';
import { migrateAuth, startAuth } from './create-auth';

runMain({ start: () => startAuth(), migrate: () => migrateAuth() });

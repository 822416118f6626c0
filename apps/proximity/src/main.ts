import 'reflect-metadata';
import { runMain } from '@gisbi/platform';
import { migrateProximity, startProximity } from './create-proximity';

runMain({ start: () => startProximity(), migrate: () => migrateProximity() });

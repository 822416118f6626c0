import 'reflect-metadata';
import { runMain } from '@gisbi/platform';
import { migrateConnections, startConnections } from './create-connections';

runMain({ start: () => startConnections(), migrate: () => migrateConnections() });

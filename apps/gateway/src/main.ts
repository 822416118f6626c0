import 'reflect-metadata';
import { runMain } from '@gisbi/platform';
import { startGateway } from './create-gateway';

runMain({ start: () => startGateway() });

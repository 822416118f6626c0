import 'reflect-metadata';
import { runMain } from '@gisbi/platform';
import { migrateChat, startChat } from './create-chat';

runMain({ start: () => startChat(), migrate: () => migrateChat() });

import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServicePlatformModule } from '@gisbi/platform';
import { ChatBootstrapHandler } from './bootstrap/chat-bootstrap.handler';
import { CHAT_ENV, type ChatEnv } from './config/chat-config';
import { chatMigrations } from './migrations';
import { MessageEntity } from './messages/message.entity';

export const chatEntities = [MessageEntity];

/** Chat: messages, history, receipts, typing and location-share relays. */
@Module({})
export class ChatModule {
  static forRoot(env: ChatEnv): DynamicModule {
    return {
      module: ChatModule,
      imports: [
        ServicePlatformModule.forRoot({
          service: 'chat',
          env,
          database: { schema: 'chat', entities: chatEntities, migrations: chatMigrations },
        }),
        TypeOrmModule.forFeature(chatEntities),
      ],
      controllers: [ChatBootstrapHandler],
      providers: [{ provide: CHAT_ENV, useValue: env }],
    };
  }
}

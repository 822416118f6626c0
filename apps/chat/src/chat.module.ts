import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServicePlatformModule } from '@gisbi/platform';
import { ChatBootstrapHandler } from './bootstrap/chat-bootstrap.handler';
import { CHAT_ENV, type ChatEnv } from './config/chat-config';
import { chatMigrations } from './migrations';
import { MessageEntity } from './messages/message.entity';
import { MessageStore } from './messages/message-store';
import { MessageViews } from './messages/message-views';
import { MessagesController } from './messages/messages.controller';
import { MessagesService } from './messages/messages.service';
import { PresenceLiveness } from './push/presence-liveness';
import { PushNotifier } from './push/push-notifier';
import { RelationshipProjections } from './relationships/relationship-projections';
import { BlockEntity, DeletedUserEntity, PairConnectionEntity } from './relationships/relationship.entities';
import { RelationshipState } from './relationships/relationship-state';
import { LocationShares } from './relay/location-shares';
import { RelayController } from './relay/relay.controller';
import { RelayService } from './relay/relay.service';
import { UserProfiles } from './users/user-profiles';

export const chatEntities = [MessageEntity, PairConnectionEntity, BlockEntity, DeletedUserEntity];

/** Chat: messages, history, receipts, unread counts, typing and location-share relays, offline push. */
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
          redis: true,
        }),
        TypeOrmModule.forFeature(chatEntities),
      ],
      controllers: [MessagesController, RelayController, ChatBootstrapHandler],
      providers: [
        { provide: CHAT_ENV, useValue: env },
        MessageStore,
        MessageViews,
        MessagesService,
        RelationshipState,
        RelationshipProjections,
        LocationShares,
        RelayService,
        PresenceLiveness,
        PushNotifier,
        UserProfiles,
      ],
    };
  }
}

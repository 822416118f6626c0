import { Controller } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, type Repository } from 'typeorm';
import { RpcMethod, type BootstrapPart, type BootstrapRequest } from '@gisbi/contracts';
import { OnRpc } from '@gisbi/platform';
import { MessageEntity } from '../messages/message.entity';

/** The chat part of session.bootstrap: `messages`, `conversations`, `unreadMessageCount`, `totalUnreadMessageCount` and the replay. */
@Controller()
export class ChatBootstrapHandler {
  constructor(@InjectRepository(MessageEntity) private readonly repository: Repository<MessageEntity>) {}

  @OnRpc(RpcMethod.all.bootstrap)
  async bootstrap(request: BootstrapRequest): Promise<BootstrapPart> {
    const unread = await this.repository.count({ where: { recipientId: request.userId, readAt: IsNull() } });
    return { messages: [], conversations: {}, unreadMessageCount: {}, totalUnreadMessageCount: unread, replay: [] };
  }
}

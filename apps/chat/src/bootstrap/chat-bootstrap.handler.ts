import { Controller } from '@nestjs/common';
import { RpcMethod, type BootstrapPart, type BootstrapRequest } from '@gisbi/contracts';
import { OnRpc } from '@gisbi/platform';
import { MessagesService } from '../messages/messages.service';

/**
 * The chat part of session.bootstrap: `messages`, `conversations`, `unreadMessageCount`,
 * `totalUnreadMessageCount`, and with `lastSeenAt` the `replay` the gateway sends as chat.message.created.
 */
@Controller()
export class ChatBootstrapHandler {
  constructor(private readonly messages: MessagesService) {}

  @OnRpc(RpcMethod.all.bootstrap)
  async bootstrap(request: BootstrapRequest): Promise<BootstrapPart> {
    return this.messages.bootstrap(request.userId, request.lastSeenAt);
  }
}

import { Controller } from '@nestjs/common';
import { ClientEvent, type ConnectionRingPayload } from '@gisbi/contracts';
import { OnCommand, type Command, type CommandResult } from '@gisbi/platform';
import { RingService } from './ring.service';

@Controller()
export class RingController {
  constructor(private readonly rings: RingService) {}

  @OnCommand(ClientEvent.ConnectionRing)
  async ring(command: Command<ConnectionRingPayload>): Promise<CommandResult> {
    return this.rings.ring(command);
  }
}

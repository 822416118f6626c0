import { Controller } from '@nestjs/common';
import { ClientEvent, type ProximitySessionEndPayload, type ProximityTokenPayload } from '@gisbi/contracts';
import { OnCommand, type Command, type CommandResult } from '@gisbi/platform';
import { ProximityEngine } from './proximity-engine';

/** Socket commands proximity.session.start, proximity.heartbeat and proximity.session.end. */
@Controller()
export class ProximityCommandsController {
  constructor(private readonly engine: ProximityEngine) {}

  /** Scanned the partner's token: confirms this side; both confirmed → the run is active. */
  @OnCommand(ClientEvent.ProximitySessionStart)
  async start(command: Command<ProximityTokenPayload>): Promise<CommandResult> {
    return this.engine.start(command);
  }

  /** Still seeing the partner: evidence for this side; verified time advances where both sides overlap. */
  @OnCommand(ClientEvent.ProximityHeartbeat)
  async heartbeat(command: Command<ProximityTokenPayload>): Promise<CommandResult> {
    return this.engine.heartbeat(command);
  }

  /** BLE lost: pauses the run for both; it ends unless resumed within the grace period. */
  @OnCommand(ClientEvent.ProximitySessionEnd)
  async end(command: Command<ProximitySessionEndPayload>): Promise<CommandResult> {
    return this.engine.end(command);
  }
}

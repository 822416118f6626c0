import { Controller } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { RpcMethod, type BootstrapPart, type BootstrapRequest } from '@gisbi/contracts';
import { OnRpc } from '@gisbi/platform';
import { RadarVisibilityEntity } from '../radar/radar-visibility.entity';

/** The presence part of session.bootstrap: `presence` and `nearbyUsers`. */
@Controller()
export class PresenceBootstrapHandler {
  constructor(@InjectRepository(RadarVisibilityEntity) private readonly visibility: Repository<RadarVisibilityEntity>) {}

  @OnRpc(RpcMethod.all.bootstrap)
  async bootstrap(request: BootstrapRequest): Promise<BootstrapPart> {
    const visibility = await this.visibility.findOneBy({ userId: request.userId });
    return {
      presence: { isLive: false, isOnRadar: visibility?.isOnRadar ?? true, location: null },
      nearbyUsers: [],
    };
  }
}

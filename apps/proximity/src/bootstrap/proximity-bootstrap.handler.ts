import { Controller } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, type Repository } from 'typeorm';
import { RpcMethod, type BootstrapPart, type BootstrapRequest } from '@gisbi/contracts';
import { OnRpc } from '@gisbi/platform';
import { ProximitySessionEntity } from '../sessions/proximity-session.entity';

/** The proximity part of session.bootstrap: `proximitySession`. */
@Controller()
export class ProximityBootstrapHandler {
  constructor(@InjectRepository(ProximitySessionEntity) private readonly repository: Repository<ProximitySessionEntity>) {}

  @OnRpc(RpcMethod.all.bootstrap)
  async bootstrap(request: BootstrapRequest): Promise<BootstrapPart> {
    const current = await this.repository.findOne({
      where: [
        { userAId: request.userId, status: In(['active', 'paused']) },
        { userBId: request.userId, status: In(['active', 'paused']) },
      ],
      order: { startedAt: 'DESC' },
    });
    // Sessions become the ProximitySession model with the BLE token once the proximity domain lands.
    return { proximitySession: current ? null : null };
  }
}

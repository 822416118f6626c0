import { Controller } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { RpcMethod, type BootstrapPart, type BootstrapRequest } from '@gisbi/contracts';
import { OnRpc } from '@gisbi/platform';
import { SponsoredGiftEntity } from '../rewards/sponsored-gift.entity';

/** The gifts part of session.bootstrap: `gifts`, `sponsoredGifts`, `sponsoredGiftsNextCursor`. */
@Controller()
export class GiftsBootstrapHandler {
  constructor(@InjectRepository(SponsoredGiftEntity) private readonly repository: Repository<SponsoredGiftEntity>) {}

  @OnRpc(RpcMethod.all.bootstrap)
  async bootstrap(request: BootstrapRequest): Promise<BootstrapPart> {
    const granted = await this.repository.count({ where: [{ userAId: request.userId }, { userBId: request.userId }] });
    return { gifts: [], sponsoredGifts: [], sponsoredGiftsNextCursor: granted > 0 ? null : null };
  }
}

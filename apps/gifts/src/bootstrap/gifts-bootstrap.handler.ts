import { Controller } from '@nestjs/common';
import { RpcMethod, type BootstrapPart, type BootstrapRequest } from '@gisbi/contracts';
import { OnRpc } from '@gisbi/platform';
import { HistoryService } from '../history/history.service';

/** The gifts part of session.bootstrap: `gifts` (always empty), `sponsoredGifts`, `sponsoredGiftsNextCursor`. */
@Controller()
export class GiftsBootstrapHandler {
  constructor(private readonly history: HistoryService) {}

  @OnRpc(RpcMethod.all.bootstrap)
  async bootstrap(request: BootstrapRequest): Promise<BootstrapPart> {
    const page = await this.history.page(request.userId);
    return { gifts: [], sponsoredGifts: page.sponsoredGifts, sponsoredGiftsNextCursor: page.nextCursor };
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { ErrorCode, type PushSendResponse } from '@gisbi/contracts';
import { DomainError } from '@gisbi/platform';
import { DevicesService } from '../devices/devices.service';
import type { PushSendBody } from '../rpc/internal-requests';
import { PushTransport } from './push-transport';

const MAX_DATA_ENTRIES = 32;
/** FCM refuses messages above 4 KB; keep data well below. */
const MAX_DATA_BYTES = 3000;

/**
 * Sends a notification to every active device of a user. Delivery failures never reach the caller
 * (a chat message must not fail because a push did): they are logged, and tokens the provider reports
 * as dead are deactivated.
 */
@Injectable()
export class PushService {
  private readonly logger = new Logger(PushService.name);

  constructor(
    private readonly devices: DevicesService,
    private readonly transport: PushTransport,
  ) {}

  async send(request: PushSendBody): Promise<PushSendResponse> {
    assertStringData(request.data);
    try {
      const devices = (await this.devices.forPush([request.userId])).devices[request.userId] ?? [];
      if (devices.length === 0) return { sent: 0 };
      const results = await this.transport.send(devices, {
        userId: request.userId,
        title: request.title,
        body: request.body,
        ...(request.data ? { data: request.data } : {}),
        ...(request.collapseKey ? { collapseKey: request.collapseKey } : {}),
      });
      const dead = results.filter((result) => result.outcome === 'invalid_token').map((result) => result.token);
      if (dead.length > 0) {
        const deactivated = await this.devices.deactivateTokens(dead);
        this.logger.log(`deactivated ${deactivated} push token(s) of ${request.userId} reported dead by ${this.transport.name}`);
      }
      const failed = results.filter((result) => result.outcome === 'failed');
      if (failed.length > 0) {
        const codes = [...new Set(failed.map((result) => result.errorCode ?? 'unknown'))].join(', ');
        this.logger.warn(`push to ${failed.length} device(s) of ${request.userId} failed (${codes})`);
      }
      return { sent: results.filter((result) => result.outcome === 'sent' || result.outcome === 'recorded').length };
    } catch (error) {
      this.logger.warn(`push to ${request.userId} failed: ${error instanceof Error ? error.message : String(error)}`);
      return { sent: 0 };
    }
  }
}

function assertStringData(data: Record<string, unknown> | undefined): void {
  if (data === undefined) return;
  const entries = Object.entries(data);
  if (entries.length > MAX_DATA_ENTRIES) {
    throw DomainError.badRequest(ErrorCode.validation_failed, `data must hold at most ${MAX_DATA_ENTRIES} entries`);
  }
  if (entries.some(([, value]) => typeof value !== 'string')) {
    throw DomainError.badRequest(ErrorCode.validation_failed, 'data values must be strings');
  }
  if (Buffer.byteLength(JSON.stringify(data)) > MAX_DATA_BYTES) {
    throw DomainError.badRequest(ErrorCode.validation_failed, `data must be at most ${MAX_DATA_BYTES} bytes`);
  }
}

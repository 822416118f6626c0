import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  emptyBootstrap,
  RpcMethod,
  type BootstrapPart,
  type BootstrapPayload,
  type BootstrapRequest,
  type Message,
  type ServiceName,
  type User,
} from '@gisbi/contracts';
import { NatsClient } from '@gisbi/platform';
import { GATEWAY_ENV, type GatewayEnv } from '../config/gateway-config';

/** The services that each own a part of session.bootstrap (auth owns currentUser and must answer). */
const PART_OWNERS: readonly ServiceName[] = ['presence', 'connections', 'chat', 'proximity', 'gifts'];

export interface ComposedBootstrap {
  bootstrap: BootstrapPayload;
  /** Incoming messages created after `lastSeenAt`, oldest first, to replay after the bootstrap. */
  replay: Message[];
  /** Services that did not answer in time; their keys carry empty values. */
  missing: ServiceName[];
}

/**
 * Asks every service for its part of the bootstrap at once and merges them over an empty bootstrap,
 * so every key of the contract is always present. A slow service costs at most BOOTSTRAP_TIMEOUT_MS.
 */
@Injectable()
export class BootstrapComposer {
  private readonly logger = new Logger(BootstrapComposer.name);

  constructor(
    private readonly nats: NatsClient,
    @Inject(GATEWAY_ENV) private readonly env: GatewayEnv,
  ) {}

  async compose(userId: string, lastSeenAt?: string): Promise<ComposedBootstrap> {
    const request: BootstrapRequest = { userId, ...(lastSeenAt ? { lastSeenAt } : {}) };
    const ask = (service: ServiceName) =>
      this.nats.rpc<BootstrapPart, BootstrapRequest>(
        service,
        RpcMethod.all.bootstrap,
        request,
        this.env.BOOTSTRAP_TIMEOUT_MS,
      );
    const [own, parts] = await Promise.all([ask('auth'), Promise.allSettled(PART_OWNERS.map(ask))]);
    const currentUser = own.currentUser as User;
    const bootstrap = emptyBootstrap(currentUser);
    const missing: ServiceName[] = [];
    let replay: Message[] = [];
    parts.forEach((part, index) => {
      const service = PART_OWNERS[index] as ServiceName;
      if (part.status === 'rejected') {
        missing.push(service);
        this.logger.warn(`bootstrap part from ${service} missing: ${String(part.reason)}`);
        return;
      }
      const { replay: partReplay, ...keys } = part.value;
      if (partReplay) replay = partReplay;
      Object.assign(bootstrap, keys);
    });
    // The contract keeps `gifts` only for backward compatibility: always empty.
    bootstrap.gifts = [];
    return { bootstrap, replay, missing };
  }
}

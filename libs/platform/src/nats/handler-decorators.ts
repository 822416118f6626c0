import { MessagePattern } from '@nestjs/microservices';
import type { ClientEventType } from '@gisbi/contracts';

export const COMMAND_PATTERN_PREFIX = 'cmd:';
export const RPC_PATTERN_PREFIX = 'rpc:';

/**
 * Handles a client socket command routed by the gateway (`<prefix>.cmd.<type>`, queue group = service).
 * The payload is validated against the contract's schema before the handler runs.
 */
export const OnCommand = (type: ClientEventType): MethodDecorator => MessagePattern(`${COMMAND_PATTERN_PREFIX}${type}`);

/** Handles an internal request/reply method of this service (`<prefix>.rpc.<service>.<method>`). */
export const OnRpc = (method: string): MethodDecorator => MessagePattern(`${RPC_PATTERN_PREFIX}${method}`);

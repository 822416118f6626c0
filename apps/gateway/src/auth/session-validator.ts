import { Injectable } from '@nestjs/common';
import { ErrorCode, RpcMethod, type AccessCheckRequest, type AccessCheckResponse } from '@gisbi/contracts';
import { DomainError, NatsClient, type AccessClaims } from '@gisbi/platform';

/**
 * A valid signature is not enough: the account may have been deleted or the login session revoked
 * since the token was issued. The auth service owns that state; the gateway asks it.
 */
@Injectable()
export class SessionValidator {
  constructor(private readonly nats: NatsClient) {}

  async assertActive(claims: AccessClaims): Promise<void> {
    const answer = await this.nats.rpc<AccessCheckResponse, AccessCheckRequest>(
      'auth',
      RpcMethod.auth.accessCheck,
      {
        userId: claims.userId,
        sessionId: claims.sessionId,
      },
    );
    if (!answer.active) {
      throw DomainError.unauthorized(
        answer.reason === 'account_deleted' ? ErrorCode.account_deleted : ErrorCode.unauthorized,
        answer.reason === 'account_deleted'
          ? 'This account has been deleted'
          : 'This session is no longer valid',
      );
    }
  }
}

import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ErrorCode } from '@gisbi/contracts';
import { DomainError } from '@gisbi/platform';

@Injectable()
export class AccessTokenGuard extends AuthGuard('access-token') {
  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error instanceof DomainError) throw error;
    if (error || !user) {
      throw DomainError.unauthorized(
        ErrorCode.unauthorized,
        'A valid access token is required (Authorization: Bearer <accessToken>)',
      );
    }
    return user;
  }
}

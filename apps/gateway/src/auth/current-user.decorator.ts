import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AccessClaims } from '@gisbi/platform';

/** The authenticated caller of a REST route (set by AccessTokenGuard). */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AccessClaims => {
  const request = context.switchToHttp().getRequest<{ user: AccessClaims }>();
  return request.user;
});

import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { RestErrorDto } from '@gisbi/contracts';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid input (`code` names the problem)',
  401: 'Missing, invalid or expired credentials',
  403: 'Not allowed for this user',
  404: 'Not found',
  409: 'Conflicts with the current state',
  429: 'Too many requests (`rate_limited`; `Retry-After` says when to retry)',
  503: 'A backing service is unavailable',
};

/** Every API route is rate limited (RestRateLimitGuard). */
const ALWAYS = [429];

/** Documents the `{ detail, code }` error responses a route can return. */
export function ApiErrors(...statuses: number[]): MethodDecorator {
  return applyDecorators(
    ...[...new Set([...statuses, ...ALWAYS])].map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: RestErrorDto }),
    ),
  );
}

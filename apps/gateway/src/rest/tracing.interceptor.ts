import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { context } from '@opentelemetry/api';
import type { Request } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { withSpan } from '@gisbi/platform';

/** A trace per REST request, so the RPCs it makes carry its trace id to the services. */
@Injectable()
export class TracingInterceptor implements NestInterceptor {
  intercept(executionContext: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (executionContext.getType() !== 'http') return next.handle();
    const request = executionContext.switchToHttp().getRequest<Request>();
    const route = `${request.method} ${(request.route as { path?: string } | undefined)?.path ?? request.path}`;
    return from(
      withSpan(route, context.active(), { 'http.method': request.method, 'http.route': route }, () =>
        lastValueFrom(next.handle()),
      ),
    );
  }
}

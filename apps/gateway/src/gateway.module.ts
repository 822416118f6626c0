import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ManagementServer, ServicePlatformModule } from '@gisbi/platform';
import { AccessTokenGuard } from './auth/access-token.guard';
import { AccessTokenStrategy } from './auth/access-token.strategy';
import { SessionValidator } from './auth/session-validator';
import { GATEWAY_ENV, type GatewayEnv } from './config/gateway-config';
import { ServiceCredentialGuard } from './rest/admin/service-credential.guard';
import { API_CONTROLLERS } from './rest/api-controllers';
import { ContractValidationPipe } from './rest/contract-validation.pipe';
import { restRateLimitProviders } from './rest/rate-limit/rate-limit.providers';
import { RestExceptionFilter } from './rest/rest-exception.filter';
import { TracingInterceptor } from './rest/tracing.interceptor';
import { BootstrapComposer } from './socket/bootstrap-composer';
import { CommandRouter } from './socket/command-router';
import { HandshakeAuthenticator } from './socket/handshake-authenticator';
import { SocketGateway } from './socket/socket.gateway';
import { SocketRegistry } from './socket/socket-registry';

/** The edge: REST and /ws in, NATS to the services out; Redis only for REST rate limits. No domain logic and no database. */
@Module({})
export class GatewayModule {
  static forRoot(env: GatewayEnv): DynamicModule {
    return {
      module: GatewayModule,
      imports: [ServicePlatformModule.forRoot({ service: 'gateway', env }), PassportModule],
      controllers: API_CONTROLLERS,
      providers: [
        { provide: GATEWAY_ENV, useValue: env },
        { provide: APP_PIPE, useClass: ContractValidationPipe },
        { provide: APP_FILTER, useClass: RestExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: TracingInterceptor },
        ...restRateLimitProviders(env),
        SessionValidator,
        AccessTokenStrategy,
        AccessTokenGuard,
        ServiceCredentialGuard,
        HandshakeAuthenticator,
        SocketRegistry,
        BootstrapComposer,
        CommandRouter,
        SocketGateway,
        ManagementServer,
      ],
    };
  }
}

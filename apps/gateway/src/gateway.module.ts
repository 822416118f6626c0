import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ServicePlatformModule } from '@gisbi/platform';
import { AccessTokenGuard } from './auth/access-token.guard';
import { AccessTokenStrategy } from './auth/access-token.strategy';
import { SessionValidator } from './auth/session-validator';
import { GATEWAY_ENV, type GatewayEnv } from './config/gateway-config';
import { AdminBrandsController } from './rest/admin/admin-brands.controller';
import { AdminCampaignsController } from './rest/admin/admin-campaigns.controller';
import { ServiceCredentialGuard } from './rest/admin/service-credential.guard';
import { VenueRedemptionsController } from './rest/admin/venue-redemptions.controller';
import { AuthController } from './rest/auth.controller';
import { ContractValidationPipe } from './rest/contract-validation.pipe';
import { DevicesController } from './rest/devices.controller';
import { ProximityController } from './rest/proximity.controller';
import { RestExceptionFilter } from './rest/rest-exception.filter';
import { TracingInterceptor } from './rest/tracing.interceptor';
import { UsersController } from './rest/users.controller';
import { BootstrapComposer } from './socket/bootstrap-composer';
import { CommandRouter } from './socket/command-router';
import { HandshakeAuthenticator } from './socket/handshake-authenticator';
import { SocketGateway } from './socket/socket.gateway';
import { SocketRegistry } from './socket/socket-registry';

/** The edge: REST and /ws in, NATS to the services out. No domain logic and no database. */
@Module({})
export class GatewayModule {
  static forRoot(env: GatewayEnv): DynamicModule {
    return {
      module: GatewayModule,
      imports: [ServicePlatformModule.forRoot({ service: 'gateway', env }), PassportModule],
      controllers: [
        AuthController,
        DevicesController,
        UsersController,
        ProximityController,
        AdminBrandsController,
        AdminCampaignsController,
        VenueRedemptionsController,
      ],
      providers: [
        { provide: GATEWAY_ENV, useValue: env },
        { provide: APP_PIPE, useClass: ContractValidationPipe },
        { provide: APP_FILTER, useClass: RestExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: TracingInterceptor },
        SessionValidator,
        AccessTokenStrategy,
        AccessTokenGuard,
        ServiceCredentialGuard,
        HandshakeAuthenticator,
        SocketRegistry,
        BootstrapComposer,
        CommandRouter,
        SocketGateway,
      ],
    };
  }
}

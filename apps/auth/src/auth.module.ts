import { type DynamicModule, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock, ServicePlatformModule } from '@gisbi/platform';
import { AccountService } from './account/account.service';
import { AUTH_ENV, type AuthEnv } from './config/auth-config';
import { DevicesController } from './devices/devices.controller';
import { DeviceEntity } from './devices/device.entity';
import { DevicesService } from './devices/devices.service';
import { FirebaseAdminService } from './firebase/firebase-admin.service';
import { IdTokenVerifier } from './identity/id-token-verifier';
import { IdentityEntity } from './identity/identity.entity';
import { AuthController } from './login/auth.controller';
import { LoginService } from './login/login.service';
import { authMigrations } from './migrations';
import { FcmPushTransport } from './push/fcm-push.transport';
import { PushAttemptEntity } from './push/push-attempt.entity';
import { PushService } from './push/push.service';
import { PushTransport } from './push/push-transport';
import { RecordingPushTransport } from './push/recording-push.transport';
import { SessionEntity } from './sessions/session.entity';
import { SessionsService } from './sessions/sessions.service';
import { TokenIssuer } from './sessions/token-issuer';
import { UserEntity } from './users/user.entity';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';
import { VibeExpiryJob } from './users/vibe-expiry.job';

export const authEntities = [UserEntity, IdentityEntity, SessionEntity, DeviceEntity, PushAttemptEntity];

/**
 * Auth: users (profile, vibe and its expiry), provider identities, login sessions and refresh tokens,
 * devices and push notifications, account deletion.
 */
@Module({})
export class AuthModule {
  static forRoot(env: AuthEnv): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        ServicePlatformModule.forRoot({
          service: 'auth',
          env,
          database: { schema: 'auth', entities: authEntities, migrations: authMigrations },
        }),
        TypeOrmModule.forFeature(authEntities),
      ],
      controllers: [AuthController, UsersController, DevicesController],
      providers: [
        { provide: AUTH_ENV, useValue: env },
        {
          provide: IdTokenVerifier,
          useFactory: (clock: Clock) => IdTokenVerifier.fromEnv(env, clock),
          inject: [Clock],
        },
        {
          provide: TokenIssuer,
          useFactory: (clock: Clock) =>
            new TokenIssuer(
              env.JWT_SECRET,
              { accessTtlSeconds: env.JWT_ACCESS_TTL_SECONDS, refreshTtlSeconds: env.JWT_REFRESH_TTL_SECONDS },
              clock,
            ),
          inject: [Clock],
        },
        {
          provide: PushTransport,
          useFactory: (dataSource: DataSource, clock: Clock, firebase: FirebaseAdminService): PushTransport =>
            env.pushTransport === 'fcm'
              ? new FcmPushTransport(() => firebase.messaging())
              : new RecordingPushTransport(dataSource, clock),
          inject: [getDataSourceToken(), Clock, FirebaseAdminService],
        },
        FirebaseAdminService,
        UsersService,
        VibeExpiryJob,
        SessionsService,
        DevicesService,
        PushService,
        LoginService,
        AccountService,
      ],
    };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServicePlatformModule } from '@gisbi/platform';
import { PresenceBootstrapHandler } from './bootstrap/presence-bootstrap.handler';
import { PRESENCE_ENV, type PresenceEnv } from './config/presence-config';
import { presenceMigrations } from './migrations';
import { RadarVisibilityEntity } from './radar/radar-visibility.entity';

export const presenceEntities = [RadarVisibilityEntity];

/** Presence: live locations (Redis GEO), radar visibility, liveness and radar computation. */
@Module({})
export class PresenceModule {
  static forRoot(env: PresenceEnv): DynamicModule {
    return {
      module: PresenceModule,
      imports: [
        ServicePlatformModule.forRoot({
          service: 'presence',
          env,
          database: { schema: 'presence', entities: presenceEntities, migrations: presenceMigrations },
          redis: true,
        }),
        TypeOrmModule.forFeature(presenceEntities),
      ],
      controllers: [PresenceBootstrapHandler],
      providers: [{ provide: PRESENCE_ENV, useValue: env }],
    };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServicePlatformModule } from '@gisbi/platform';
import { PresenceBootstrapHandler } from './bootstrap/presence-bootstrap.handler';
import { PRESENCE_ENV, type PresenceEnv } from './config/presence-config';
import { RADAR_SETTINGS, radarSettingsFrom } from './config/radar-settings';
import { ControlListener } from './liveness/control-listener';
import { LivenessService } from './liveness/liveness.service';
import { PresenceController } from './location/presence.controller';
import { VisibilityService } from './location/visibility.service';
import { presenceMigrations } from './migrations';
import { BlockProjectionEntity, PeerConnectionEntity, UserProfileEntity } from './projections/projection.entities';
import { ProjectionConsumers } from './projections/projection-consumers';
import { ProjectionReader } from './projections/projection-reader';
import { RadarPushService } from './push/radar-push.service';
import { RadarService } from './radar/radar.service';
import { RadarVisibilityEntity } from './radar/radar-visibility.entity';
import { LiveLocationStore } from './store/live-location.store';

export const presenceEntities = [RadarVisibilityEntity, UserProfileEntity, BlockProjectionEntity, PeerConnectionEntity];

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
      controllers: [PresenceController, PresenceBootstrapHandler],
      providers: [
        { provide: PRESENCE_ENV, useValue: env },
        { provide: RADAR_SETTINGS, useValue: radarSettingsFrom(env) },
        LiveLocationStore,
        ProjectionReader,
        ProjectionConsumers,
        VisibilityService,
        RadarService,
        RadarPushService,
        LivenessService,
        ControlListener,
      ],
    };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ServicePlatformModule } from '@gisbi/platform';
import { GiftsBootstrapHandler } from './bootstrap/gifts-bootstrap.handler';
import { GIFTS_ENV, type GiftsEnv } from './config/gifts-config';
import { giftsMigrations } from './migrations';
import { SponsoredGiftEntity } from './rewards/sponsored-gift.entity';

export const giftsEntities = [SponsoredGiftEntity];

/** Gifts: brands, campaigns, sponsored pair rewards, history, claim and redemption. */
@Module({})
export class GiftsModule {
  static forRoot(env: GiftsEnv): DynamicModule {
    return {
      module: GiftsModule,
      imports: [
        ServicePlatformModule.forRoot({
          service: 'gifts',
          env,
          database: { schema: 'gifts', entities: giftsEntities, migrations: giftsMigrations },
        }),
        TypeOrmModule.forFeature(giftsEntities),
      ],
      controllers: [GiftsBootstrapHandler],
      providers: [{ provide: GIFTS_ENV, useValue: env }],
    };
  }
}

import { type DynamicModule, Module } from '@nestjs/common';
import { ServicePlatformModule } from '@gisbi/platform';
import { AdminKeyVerifier } from './admin/admin-key-verifier';
import { AdminRpcController } from './admin/admin.rpc-controller';
import { GiftsBootstrapHandler } from './bootstrap/gifts-bootstrap.handler';
import { BrandEntity } from './brands/brand.entity';
import { BrandsService } from './brands/brands.service';
import { VenueKeyEntity } from './brands/venue-key.entity';
import { CampaignEntity } from './campaigns/campaign.entity';
import { CampaignsService } from './campaigns/campaigns.service';
import { ClaimService } from './claims/claim.service';
import { GiftClaimController } from './claims/gift-claim.controller';
import { GIFTS_ENV, type GiftsEnv } from './config/gifts-config';
import { PairConnectionEntity } from './connections/pair-connection.entity';
import { VerifiedTimeClient } from './eligibility/verified-time.client';
import { ExpiryJob } from './expiry/expiry.job';
import { PositionsClient } from './geo/positions.client';
import { GrantService } from './granting/grant.service';
import { GrantTriggersConsumer } from './granting/grant-triggers.consumer';
import { GiftHistoryController } from './history/gift-history.controller';
import { HistoryService } from './history/history.service';
import { LegacyGiftsController } from './legacy/legacy-gifts.controller';
import { giftsMigrations } from './migrations';
import { VenueRedemptionService } from './redemption/venue-redemption.service';
import { VenueRpcController } from './redemption/venue.rpc-controller';
import { RedemptionCodeEntity } from './rewards/redemption-code.entity';
import { RewardCancellation } from './rewards/reward-cancellation';
import { RewardCancellationConsumer } from './rewards/reward-cancellation.consumer';
import { RewardNotifier } from './rewards/reward-notifier';
import { RewardPresenter } from './rewards/reward-presenter';
import { SponsoredGiftEntity } from './rewards/sponsored-gift.entity';
import { DemoSeed } from './seed/demo-seed';

export const giftsEntities = [
  BrandEntity,
  VenueKeyEntity,
  CampaignEntity,
  PairConnectionEntity,
  SponsoredGiftEntity,
  RedemptionCodeEntity,
];

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
      ],
      controllers: [
        GiftsBootstrapHandler,
        GiftHistoryController,
        GiftClaimController,
        LegacyGiftsController,
        AdminRpcController,
        VenueRpcController,
      ],
      providers: [
        { provide: GIFTS_ENV, useValue: env },
        AdminKeyVerifier,
        BrandsService,
        CampaignsService,
        VerifiedTimeClient,
        PositionsClient,
        RewardPresenter,
        RewardNotifier,
        RewardCancellation,
        RewardCancellationConsumer,
        GrantService,
        GrantTriggersConsumer,
        HistoryService,
        ClaimService,
        VenueRedemptionService,
        ExpiryJob,
        DemoSeed,
      ],
    };
  }
}

import type { Type } from '@nestjs/common';
import { AdminBrandsController } from './admin/admin-brands.controller';
import { AdminCampaignsController } from './admin/admin-campaigns.controller';
import { VenueRedemptionsController } from './admin/venue-redemptions.controller';
import { AuthController } from './auth.controller';
import { DevicesController } from './devices.controller';
import { ProximityController } from './proximity.controller';
import { UsersController } from './users.controller';

/** The public REST API: every controller here is documented in /docs and rate limited. */
export const API_CONTROLLERS: Type[] = [
  AuthController,
  DevicesController,
  UsersController,
  ProximityController,
  AdminBrandsController,
  AdminCampaignsController,
  VenueRedemptionsController,
];

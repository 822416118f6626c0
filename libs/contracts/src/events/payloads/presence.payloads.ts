import { type NearbyUser } from '../../models/nearby-user';
import { type Presence } from '../../models/presence';

export interface PresenceUpdatedPayload {
  userId: string;
  presence: Presence;
}

export interface RadarNearbyUpdatedPayload {
  nearbyUsers: NearbyUser[];
}

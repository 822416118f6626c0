import { type NearbyLocation } from './location';
import { type User } from './user';

export interface NearbyUser {
  user: User;
  /** Metres from the viewer. */
  distance: number;
  /** Bearing from the viewer, degrees in [0, 360). */
  angle: number;
  isLive: boolean;
  /** Derived from overlapping vibe tags/text. */
  sharedInterests: string[];
  location: NearbyLocation;
}

import { type Location } from './location';

export interface Presence {
  isLive: boolean;
  /** Radar visibility, persisted independently of socket sessions. */
  isOnRadar: boolean;
  location: Location | null;
}

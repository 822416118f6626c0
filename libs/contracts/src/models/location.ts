/** A live position. Optional fields are omitted (not null) when the device did not report them. */
export interface Location {
  lat: number;
  lng: number;
  accuracyMeters?: number;
  /** Degrees clockwise from north, in [0, 360). */
  heading?: number;
  /** Metres per second. */
  speed?: number;
  /** ISO-8601 UTC. */
  updatedAt: string;
}

/**
 * A nearby user's location on the radar: the contract's "Location, including freshness metadata".
 * Extension fields: `ageSeconds` (how old the fix is) and `precisionMeters` (0 = exact; larger when
 * the position is deliberately coarsened for privacy).
 */
export interface NearbyLocation extends Location {
  ageSeconds: number;
  precisionMeters: number;
}

/** Point where a pair connected, snapshotted at acceptance when both users were live. */
export interface ConnectedLocation {
  lat: number;
  lng: number;
}

/** Sponsor metadata embedded in a SponsoredGift. */
export interface Brand {
  brandId: string;
  name: string;
  slug: string;
  /** Logo URL (absolute or server-relative); null when the brand has none. */
  logo: string | null;
  category: string;
}

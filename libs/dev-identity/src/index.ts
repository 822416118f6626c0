export {
  APPLE_ISSUER,
  DEFAULT_DEV_IDP_PORT,
  DEFAULT_KEY_DIR,
  isProvider,
  DEV_APPLE_CLIENT_ID,
  DEV_GOOGLE_CLIENT_ID,
  GOOGLE_ISSUER,
  PROVIDERS,
  type Provider,
} from './constants';
export {
  DevIdentityProvider,
  type DevIdentityProviderOptions,
  type DevIdpEnv,
} from './dev-identity-provider';
export { type PublicRsaJwk } from './signing-key';
export { hs256Token, unsignedToken, type IdTokenParams } from './tokens';

/** The OpenID Connect module's public face: the service, its HTTP routes and its pieces for tests. */
export { OidcService } from './oidc.service.js';
export type { CallbackOutcome, StartRequest } from './oidc.service.js';
export { OidcAccounts, OidcRefusal } from './oidc-accounts.js';
export type { OidcIdentity } from './oidc-accounts.js';
export { OidcProviderClient, ProviderUnavailableError } from './oidc-provider.js';
export { OidcLogin } from './oidc-login.entity.js';
export { oidcRouter } from './oidc.router.js';
export { loopbackRedirect } from './loopback-redirect.js';

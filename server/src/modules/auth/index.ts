/** The auth module's public face: what other modules may import (they never reach past it). */
export { ApiToken } from './api-token.entity.js';
export { canAccess, shareableOf, visibleWhere } from './auth-info.js';
export type { AuthInfo, Shareable } from './auth-info.js';
export { AuthService } from './auth.service.js';
export type { PasswordPolicy, SecondFactorCheck } from './auth.service.js';
export { TotpService } from './totp.service.js';
export { PasskeyService } from './passkey.service.js';
export { SecondFactors } from './second-factors.js';
export { CredentialService } from './credentials.service.js';
export { DbLoginFailureStore } from './login-failure.store.js';
export { anonymousRefusal, LoginThrottle } from './login-throttle.js';
export type { FailureRecord, LoginFailureStore, Reservation } from './login-throttle.js';
export { TokenScope } from './token-scope.js';
export { Session as LoginSession } from './auth.types.js';

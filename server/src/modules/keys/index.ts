/** The keys module's public face: what other modules may import (they never reach past it). */
export { AuthorizedKeysService } from './authorized-keys.service.js';
export {
  RefusalLog,
  refusalAuditLine,
  refusalCommand,
  recordRefusalEvent,
  type LoginRefusal,
  type RefusalSink,
} from './login-refusal.js';

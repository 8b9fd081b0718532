/** The audit module's public face: the trail (entity, service), how calls become lines, the transports' hooks. */
export { AuditEntry } from './audit-entry.entity.js';
export { AuditService, toJsonLine } from './audit.service.js';
export type { AuditQuery } from './audit.service.js';
export { auditLinesOf, mutationOf, SIGN_IN_FIELDS } from './audit-recorder.js';
export type { AuditActor, AuditedCall, AuditLine } from './audit-recorder.js';
export { auditPlugin } from './audit.plugin.js';
export { auditRouter } from './audit.router.js';
export { redactArguments, REDACTED } from './redact.js';

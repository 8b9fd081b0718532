// The rules the hive, the web console and borg-hive-keys share. keys/borg-hive-keys.cjs stays one
// dependency-free file: `npm run codegen` writes its copy of these rules (see keys-rules-block.ts).
export { MAX_ALERT_AFTER_DAYS } from './alert-after-days.js';
export { KEY_FINGERPRINT } from './key-fingerprint.js';
export { REPO_USER } from './repo-user.js';
export { REPOSITORY_NAME, REPOSITORY_NAME_HTML_PATTERN } from './repository-name.js';
export { isSshKeyType, SSH_KEY_TYPES, type SshKeyType } from './ssh-key-types.js';

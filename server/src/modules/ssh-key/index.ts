/** The ssh-key module's public face: what other modules may import (they never reach past it). */
export { SshKey } from './ssh-key.entity.js';
export { SshKeyService } from './ssh-key.service.js';
export type { SshKeyView } from './ssh-key.view.js';

/** The notification module's public face: what other modules may import (they never reach past it). */
export { digestMessage, messageFor } from './alert-message.js';
export {
  ALERT_EVENTS,
  carries,
  DEFAULT_RULES,
  releaseAt,
  validateRules,
  type AlertEvent,
  type AlertRules,
} from './alert-rules.js';
export { ChannelSecrets } from './channel-secrets.js';
export { ChannelSettingsError } from './channels/channel-driver.js';
export type { AlertMessage, ChannelContext } from './channels/channel-driver.js';
export { configureChannel } from './channels/channel-registry.js';
export { NotificationChannel } from './notification-channel.entity.js';
export { NotificationChannelService } from './notification-channel.service.js';
export { NotificationChannelInput } from './notification.inputs.js';
export { sealStoredChannelSettings } from './seal-stored-settings.js';

import type { NotificationKind } from '../graphql/types.js';

export interface SettingField {
  readonly name: string;
  readonly label: string;
  readonly type: 'text' | 'email' | 'url' | 'password' | 'select';
  readonly required: boolean;
  readonly placeholder?: string;
  readonly options?: readonly string[];
}

/**
 * The settings form of each channel kind (names as the server reads them: EMAIL {to},
 * PUSHOVER {appToken,userKey}, WEBHOOK {url,method,secret}, NTFY {server,topic,token}, ...). APPRISE's
 * `urls` (run by the apprise CLI, admins only) is a list: set through the API; the form offers apiUrl.
 */
export const channelKinds: Readonly<
  Record<NotificationKind, { label: string; fields: readonly SettingField[] }>
> = {
  EMAIL: {
    label: 'E-mail',
    fields: [
      { name: 'to', label: 'Recipient', type: 'email', required: true, placeholder: 'ops@example.com' },
    ],
  },
  PUSHOVER: {
    label: 'Pushover',
    fields: [
      { name: 'userKey', label: 'User key', type: 'text', required: true },
      { name: 'appToken', label: 'Application token', type: 'password', required: true },
    ],
  },
  WEBHOOK: {
    label: 'Webhook',
    fields: [
      { name: 'url', label: 'URL', type: 'url', required: true, placeholder: 'https://example.com/hook' },
      { name: 'method', label: 'Method', type: 'select', required: true, options: ['POST', 'GET'] },
      { name: 'secret', label: 'Signing secret (optional)', type: 'password', required: false },
    ],
  },
  NTFY: {
    label: 'ntfy',
    fields: [
      { name: 'server', label: 'Server', type: 'url', required: false, placeholder: 'https://ntfy.sh' },
      { name: 'topic', label: 'Topic', type: 'text', required: true },
      { name: 'token', label: 'Access token (optional)', type: 'password', required: false },
    ],
  },
  APPRISE: {
    label: 'Apprise API server',
    fields: [
      {
        name: 'apiUrl',
        label: 'Notify URL',
        type: 'url',
        required: true,
        placeholder: 'http://apprise:8000/notify/<key>',
      },
      { name: 'tag', label: 'Tag (optional)', type: 'text', required: false },
    ],
  },
  GOTIFY: {
    label: 'Gotify',
    fields: [
      {
        name: 'server',
        label: 'Server',
        type: 'url',
        required: true,
        placeholder: 'https://push.example.org',
      },
      { name: 'token', label: 'Application token', type: 'password', required: true },
    ],
  },
  TELEGRAM: {
    label: 'Telegram',
    fields: [
      { name: 'botToken', label: 'Bot token', type: 'password', required: true },
      { name: 'chatId', label: 'Chat id or @channel', type: 'text', required: true },
    ],
  },
  MATRIX: {
    label: 'Matrix',
    fields: [
      {
        name: 'homeserver',
        label: 'Homeserver',
        type: 'url',
        required: true,
        placeholder: 'https://matrix.org',
      },
      { name: 'roomId', label: 'Room id', type: 'text', required: true, placeholder: '!abc:matrix.org' },
      { name: 'accessToken', label: 'Access token', type: 'password', required: true },
    ],
  },
  UPTIME_KUMA: {
    label: 'Uptime Kuma push',
    fields: [
      {
        name: 'pushUrl',
        label: 'Push URL',
        type: 'url',
        required: true,
        placeholder: 'https://kuma.example.org/api/push/<token>',
      },
    ],
  },
};

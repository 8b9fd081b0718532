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
 * PUSHOVER {appToken,userKey}, WEBHOOK {url,method,secret}, NTFY {server,topic,token}).
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
};

import { registerEnumType } from 'type-graphql';

export enum DeliveryState {
  PENDING = 'PENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
}

registerEnumType(DeliveryState, {
  name: 'DeliveryState',
  valuesConfig: {
    PENDING: { description: 'waiting for its (next) attempt' },
    SENT: { description: 'the provider accepted it' },
    FAILED: { description: 'given up: a day of retries, invalid settings or a disabled channel' },
  },
});

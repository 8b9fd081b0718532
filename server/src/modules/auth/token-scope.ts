import { registerEnumType } from 'type-graphql';

export enum TokenScope {
  READ_ONLY = 'READ_ONLY',
  FULL = 'FULL',
  KEYS_READ = 'KEYS_READ',
  AGENT = 'AGENT',
  METRICS = 'METRICS',
}

registerEnumType(TokenScope, {
  name: 'TokenScope',
  description: 'What an API token may do',
  valuesConfig: {
    READ_ONLY: { description: 'queries and subscriptions only' },
    FULL: { description: 'everything its user may do' },
    KEYS_READ: { description: 'only authorizedKeys (for borg-hive-keys on a storage node)' },
    AGENT: { description: 'only what a storage-node agent needs (report repository events)' },
    METRICS: { description: 'only GET /metrics (Prometheus); an admin’s token, nothing in GraphQL but me' },
  },
});

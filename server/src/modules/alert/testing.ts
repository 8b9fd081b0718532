/** The alert module's test helpers, for other modules' tests (never imported by production code). */
export {
  DAY,
  createChannel,
  createRepository,
  emOf,
  eventsOf,
  startAlertHive,
} from './testing/alert-hive.js';

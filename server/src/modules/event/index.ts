/** The event module's public face: what other modules may import (they never reach past it). */
export { DEFAULT_LIVE_TIMING, LiveFeed, type LiveRun, type LiveTiming } from './live-feed.js';
export { enterLiveScope } from './subscription.resolver.js';

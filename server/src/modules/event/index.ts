/** The event module's public face: what other modules may import (they never reach past it). */
export { DEFAULT_LIVE_TIMING, LiveFeed, type LiveTiming } from './live-feed.js';

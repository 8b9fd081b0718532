/** The ping module's public face: what other modules may import (they never reach past it). */
export { pingRouter } from './ping.router.js';
export { PingService } from './ping.service.js';

/** The limits module's public face: what other modules may import (they never reach past it). */
export { CreationLimits } from './creation-limits.js';

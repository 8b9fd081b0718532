/** The location module's public face: what other modules may import (they never reach past it). */
export { RepositoryLocation } from './location.entity.js';
export { seedDefaultLocation } from './location.seed.js';

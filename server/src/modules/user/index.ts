/** The user module's public face: what other modules may import (they never reach past it). */
export { Group } from './group.entity.js';
export { User } from './user.entity.js';
export { UserService, passwordProblems, USERNAME } from './user.service.js';

/**
 * Repository users: the system account a repository belongs to, 8 characters from `[a-z0-9]` as the
 * original generated them (contract: `^[a-z0-9]{8}$`).
 */
export const REPO_USER = /^[a-z0-9]{8}$/;

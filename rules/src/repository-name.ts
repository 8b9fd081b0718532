/** Repository names (contract: `CreateRepositoryInput.name`); a name is also a directory under its repo user. */
export const REPOSITORY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The same rule as an HTML `pattern` attribute. Browsers compile it anchored with the `v` flag, where a
 * `-` inside a class must be escaped.
 */
export const REPOSITORY_NAME_HTML_PATTERN = REPOSITORY_NAME.source.slice(1, -1).replace('-]', '\\-]');

/**
 * A key fingerprint as sshd hands it to the AuthorizedKeysCommand (`%f`) and `authorizedKeys` takes it:
 * SHA256 of the key blob in unpadded base64, as `ssh-keygen -l` prints it.
 */
export const KEY_FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/browser';

/** The JSON the hive's passkey mutations take and give (GraphQL JSONObject). */
type Json = Readonly<Record<string, unknown>>;

/**
 * Passkeys need a browser page on an origin the hive names (BORGHIVE_WEBAUTHN_ORIGINS): the web console.
 * The desktop app's pages are file:// and cannot use them.
 */
export function passkeysAvailable(): boolean {
  return browserSupportsWebAuthn() && /^https?:$/.test(window.location.protocol);
}

/** Creates a passkey for the hive's registration options; answers the browser's response as JSON. */
export async function createPasskey(options: Json): Promise<Json> {
  const response = await startRegistration({
    optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON,
  });
  return response as unknown as Json;
}

/** Signs the hive's challenge with a passkey; answers the browser's response as JSON. */
export async function signWithPasskey(options: Json): Promise<Json> {
  const response = await startAuthentication({
    optionsJSON: options as unknown as PublicKeyCredentialRequestOptionsJSON,
  });
  return response as unknown as Json;
}

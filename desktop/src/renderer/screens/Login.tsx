import { useMemo, useRef, useState, type FormEvent } from 'react';
import { errorMessage } from '../components/ErrorText.js';
import { LOGIN } from '../graphql/operations.js';
import { createHiveClient } from '../hives/create-client.js';
import { formText } from '../form-data.js';
import { PasskeySignInButton, passkeyFactorLogin, passkeyOptionsOf } from './PasskeySignIn.js';
import { OidcSignIn } from './OidcSignIn.js';
import { otpRequired } from './second-factor.js';

/** What the second step asks for: a code (TOTP on, or an older hive that does not say), a passkey, or both. */
interface SecondStep {
  code: boolean;
  passkeyOptions: Readonly<Record<string, unknown>> | null;
}

/**
 * Web console sign-in: `login(username, password)` gives the token kept for this tab; an account with
 * TOTP is asked for its code in a second step (the password fields stay filled).
 */
interface Props {
  baseUrl: string;
  /** Why the form is shown again (e.g. the session ended), until the next attempt. */
  notice?: string | null;
  onToken: (token: string, remember: boolean) => void;
}

export function Login({ baseUrl, notice, onToken }: Props) {
  const client = useMemo(() => createHiveClient(baseUrl, null), [baseUrl]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState<SecondStep | null>(null);
  const askCode = step?.code === true;

  const formRef = useRef<HTMLFormElement>(null);
  const remembered = () => new FormData(formRef.current ?? undefined).get('remember') === 'on';
  const withPasskey = async (form: FormData, options: Readonly<Record<string, unknown>>) => {
    const token = await passkeyFactorLogin(
      client,
      formText(form, 'username'),
      formText(form, 'password'),
      options,
    );
    if (token) onToken(token, form.get('remember') === 'on');
  };
  const passkeyInstead = async (options: Readonly<Record<string, unknown>>) => {
    setBusy(true);
    setError(null);
    try {
      await withPasskey(new FormData(formRef.current ?? undefined), options);
    } catch (cause) {
      setStep(null);
      setError(errorMessage(cause));
    } finally {
      setBusy(false);
    }
  };

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      if (step?.passkeyOptions && !step.code) {
        await withPasskey(form, step.passkeyOptions);
        return;
      }
      const { data } = await client.mutate({
        mutation: LOGIN,
        variables: {
          username: formText(form, 'username'),
          password: formText(form, 'password'),
          otp: askCode ? formText(form, 'otp').trim() : null,
        },
      });
      if (data) onToken(data.login.token, form.get('remember') === 'on');
    } catch (cause) {
      const asked = otpRequired(cause);
      if (asked && !step) {
        setStep({ code: asked['totp'] !== false, passkeyOptions: passkeyOptionsOf(asked) });
        return;
      }
      // a passkey challenge answers once: the next attempt starts over with the password
      if (step?.passkeyOptions) setStep(null);
      setError(errorMessage(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form
        ref={formRef}
        className="card login-card"
        onSubmit={(event) => void submit(event)}
        aria-labelledby="login-title"
      >
        <div className="brand login-brand">
          <span className="brand-mark" aria-hidden="true">
            ⬢
          </span>{' '}
          Borg Hive
        </div>
        <h1 id="login-title">Sign in</h1>
        {notice && !error && (
          <p role="status" className="notice">
            {notice}
          </p>
        )}
        <label>
          Username
          <input name="username" autoComplete="username" required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {askCode && (
          <label>
            Code from your authenticator app (or a recovery code)
            <input name="otp" autoComplete="one-time-code" inputMode="text" required autoFocus />
          </label>
        )}
        <label className="check">
          <input type="checkbox" name="remember" /> Remember on this device
        </label>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {step?.passkeyOptions && !step.code && <p>Confirm with your passkey to sign in.</p>}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : step?.passkeyOptions && !step.code ? 'Use your passkey' : 'Sign in'}
        </button>
        {step?.passkeyOptions && step.code && (
          <button
            type="button"
            className="button-secondary"
            disabled={busy}
            onClick={() => step.passkeyOptions && void passkeyInstead(step.passkeyOptions)}
          >
            Use your passkey instead
          </button>
        )}
        {!step && (
          <PasskeySignInButton
            client={client}
            onToken={(token) => onToken(token, remembered())}
            onError={setError}
          />
        )}
        <OidcSignIn client={client} onToken={onToken} />
      </form>
    </main>
  );
}

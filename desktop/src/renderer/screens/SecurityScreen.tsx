import { useMutation, useQuery } from '@apollo/client/react';
import { toDataURL } from 'qrcode';
import { useEffect, useState, type FormEvent } from 'react';
import { ErrorText } from '../components/ErrorText.js';
import { HiveScope } from '../components/HiveScope.js';
import { ListTable } from '../components/ListTable.js';
import { PasskeysCard } from './PasskeysCard.js';
import { absoluteTime, relativeTime } from '../format.js';
import { formText } from '../form-data.js';
import {
  CHANGE_PASSWORD,
  CONFIRM_TOTP,
  DISABLE_TOTP,
  ENABLE_TOTP,
  REVOKE_OTHER_SESSIONS,
  REVOKE_SESSION,
  SECURITY,
} from '../graphql/security-operations.js';

/** Your sign-in: TOTP (enrol with a QR code, recovery codes shown once), sessions, password. */
export function SecurityScreen({ hiveId }: { hiveId: string }) {
  return (
    <HiveScope hiveId={hiveId}>
      <SecurityView />
    </HiveScope>
  );
}

function SecurityView() {
  const { data, error } = useQuery(SECURITY);
  return (
    <>
      <header className="page-header">
        <h1>Security</h1>
      </header>
      <ErrorText error={error} />
      {data && <TotpCard enabled={data.totpStatus.enabled} left={data.totpStatus.recoveryCodesLeft} />}
      <PasskeysCard />
      {data && <SessionsCard sessions={data.sessions} />}
      <PasswordCard />
    </>
  );
}

function QrCode({ text }: { text: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void toDataURL(text, { margin: 1, width: 200 }).then((url) => live && setSrc(url));
    return () => {
      live = false;
    };
  }, [text]);
  return src ? <img src={src} width={200} height={200} alt="QR code of the TOTP secret" /> : null;
}

function TotpCard({ enabled, left }: { enabled: boolean; left: number }) {
  const [enable, enabling] = useMutation(ENABLE_TOTP);
  const [confirm, confirming] = useMutation(CONFIRM_TOTP, { refetchQueries: [SECURITY] });
  const [disable, disabling] = useMutation(DISABLE_TOTP, { refetchQueries: [SECURITY] });
  const [enrolment, setEnrolment] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [codes, setCodes] = useState<readonly string[] | null>(null);

  const start = async () => {
    const r = await enable().catch(() => null);
    if (r?.data) setEnrolment(r.data.enableTotp);
  };
  const submitConfirm = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const r = await confirm({
      variables: { code: formText(new FormData(event.currentTarget), 'code').trim() },
    }).catch(() => null);
    if (r?.data) {
      setEnrolment(null);
      setCodes(r.data.confirmTotp);
    }
  };
  const submitDisable = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    await disable({ variables: { code: formText(new FormData(form), 'code').trim() } }).catch(() => null);
    form.reset();
  };

  return (
    <section className="card" aria-labelledby="totp-title">
      <h2 id="totp-title">Authenticator app (TOTP)</h2>
      <ErrorText error={enabling.error ?? confirming.error ?? disabling.error} />
      {codes && (
        <div className="created-token" data-testid="recovery-codes">
          <p className="notice">
            Recovery codes: each signs in once when the app is lost. Keep them now; they are not shown again.
          </p>
          <ul className="recovery-codes">
            {codes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
          <button type="button" className="button-secondary" onClick={() => setCodes(null)}>
            Done
          </button>
        </div>
      )}
      {enabled && !codes && (
        <form className="form" onSubmit={(e) => void submitDisable(e)}>
          <p>On: sign-in asks for a code. {left} recovery code(s) left.</p>
          <label>
            Code (or a recovery code) to turn it off
            <input name="code" required autoComplete="one-time-code" />
          </label>
          <button type="submit" className="button-secondary" disabled={disabling.loading}>
            Turn off
          </button>
        </form>
      )}
      {!enabled && !enrolment && (
        <>
          <p>Off: a password alone signs you in.</p>
          <button type="button" onClick={() => void start()} disabled={enabling.loading}>
            Set up an authenticator app
          </button>
        </>
      )}
      {!enabled && enrolment && (
        <form className="form" onSubmit={(e) => void submitConfirm(e)}>
          <p>Scan this with the app, or type the secret, then enter the code it shows.</p>
          <QrCode text={enrolment.otpauthUrl} />
          <p>
            Secret: <code data-testid="totp-secret">{enrolment.secret}</code>
          </p>
          <label>
            Code
            <input name="code" required inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" />
          </label>
          <button type="submit" disabled={confirming.loading}>
            Turn on
          </button>
          <p className="hint">Turning it on signs you out everywhere else.</p>
        </form>
      )}
    </section>
  );
}

interface SessionRow {
  id: string;
  createdAt: string;
  lastUsedAt?: string | null;
  address?: string | null;
  userAgent?: string | null;
  current: boolean;
}

function SessionsCard({ sessions }: { sessions: readonly SessionRow[] }) {
  const [revoke, revoking] = useMutation(REVOKE_SESSION, { refetchQueries: [SECURITY] });
  const [revokeOthers, revokingOthers] = useMutation(REVOKE_OTHER_SESSIONS, { refetchQueries: [SECURITY] });
  return (
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title">Sessions</h2>
      <ErrorText error={revoking.error ?? revokingOthers.error} />
      <ListTable
        label="Sessions"
        columns={['Device', 'Address', 'Signed in', 'Last use']}
        actions
        rows={sessions}
        loading="Loading sessions…"
        empty="No sessions."
      >
        {(s) => (
          <tr key={s.id} data-testid="session">
            <th scope="row" className="break-anywhere">
              {s.userAgent ?? 'unknown device'}
            </th>
            <td>{s.address ?? ''}</td>
            <td title={absoluteTime(s.createdAt)}>{relativeTime(s.createdAt)}</td>
            <td title={absoluteTime(s.lastUsedAt)}>{relativeTime(s.lastUsedAt)}</td>
            <td className="cell-actions">
              {s.current ? (
                <span className="muted">this one</span>
              ) : (
                <button
                  type="button"
                  className="button-secondary"
                  aria-label={`Sign out the session from ${s.address ?? 'an unknown address'}, signed in ${relativeTime(s.createdAt)}`}
                  disabled={revoking.loading}
                  onClick={() => void revoke({ variables: { id: s.id } }).catch(() => null)}
                >
                  Sign out
                </button>
              )}
            </td>
          </tr>
        )}
      </ListTable>
      {sessions.length > 1 && (
        <div className="actions">
          <button
            type="button"
            className="button-secondary"
            disabled={revokingOthers.loading}
            onClick={() => void revokeOthers().catch(() => null)}
          >
            Sign out everywhere else
          </button>
        </div>
      )}
    </section>
  );
}

function PasswordCard() {
  const [change, changing] = useMutation(CHANGE_PASSWORD, { refetchQueries: [SECURITY] });
  const [done, setDone] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setDone(false);
    const r = await change({
      variables: { currentPassword: formText(form, 'current'), newPassword: formText(form, 'new') },
    }).catch(() => null);
    if (r?.data) {
      setDone(true);
      formElement.reset();
    }
  };
  return (
    <form className="card form" onSubmit={(e) => void submit(e)} aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <ErrorText error={changing.error} />
      {done && (
        <p role="status" className="notice">
          Password changed; your other sessions ended.
        </p>
      )}
      <label>
        Current password
        <input name="current" type="password" autoComplete="current-password" required />
      </label>
      <label>
        New password
        <input name="new" type="password" autoComplete="new-password" required minLength={8} />
      </label>
      <button type="submit" disabled={changing.loading}>
        Change password
      </button>
    </form>
  );
}

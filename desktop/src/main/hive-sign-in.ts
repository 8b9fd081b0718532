/**
 * The desktop app's password sign-in to a hive (contract §11 `login(username, password, otp)`), in main:
 * the renderer hands over the password once and gets back either the hive (its session token stored by
 * main, never returned) or the question for the second factor. Plain Node, tested against a real hive.
 */
export type PasswordSignIn =
  | { readonly token: string; readonly username: string }
  | { readonly otpRequired: true; readonly message: string };

const LOGIN = `mutation DesktopLogin($username: String!, $password: String!, $otp: String) {
  login(username: $username, password: $password, otp: $otp) { token user { username } }
}`;

interface LoginAnswer {
  data?: { login?: { token: string; user: { username: string } } } | null;
  errors?: { message: string; extensions?: { otpRequired?: boolean } }[];
}

/** How long the hive has to answer a sign-in. */
const TIMEOUT_MS = 30_000;

export async function signInWithPassword(
  hiveUrl: string,
  credentials: { username: string; password: string; otp?: string | undefined },
  fetchImpl: typeof fetch = fetch,
): Promise<PasswordSignIn> {
  const res = await fetchImpl(new URL('/graphql', hiveUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      query: LOGIN,
      variables: {
        username: credentials.username,
        password: credentials.password,
        otp: credentials.otp ?? null,
      },
    }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  let answer: LoginAnswer;
  try {
    answer = JSON.parse(text.slice(0, 1_000_000)) as LoginAnswer;
  } catch {
    throw new Error(`the hive answered ${res.status} without GraphQL: is this the hive's URL?`);
  }
  const session = answer.data?.login;
  if (session) return { token: session.token, username: session.user.username };
  const error = answer.errors?.[0];
  // the password was right; the second factor is asked (again, after a wrong code)
  if (error?.extensions?.otpRequired === true) return { otpRequired: true, message: error.message };
  throw new Error(error?.message ?? `the hive answered ${res.status}`);
}

interface ProviderAnswer {
  data?: { oidcProvider?: { name: string; available: boolean; message: string | null } | null } | null;
}

/**
 * Before the system browser opens: whether the hive has single sign-on and its provider answers, so
 * the app says so at once instead of waiting for a browser that shows an error page. Returns its name.
 */
export async function singleSignOnOf(hiveUrl: string, fetchImpl: typeof fetch = fetch): Promise<string> {
  const res = await fetchImpl(new URL('/graphql', hiveUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: '{ oidcProvider { name available message } }' }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  let answer: ProviderAnswer;
  try {
    answer = JSON.parse((await res.text()).slice(0, 100_000)) as ProviderAnswer;
  } catch {
    throw new Error(`the hive answered ${res.status} without GraphQL: is this the hive's URL?`);
  }
  const provider = answer.data?.oidcProvider;
  if (!provider) throw new Error('this hive has no single sign-on: sign in with a password or an API token');
  if (!provider.available)
    throw new Error(
      `${provider.message ?? `${provider.name} does not answer`}: sign in with a password instead`,
    );
  return provider.name;
}

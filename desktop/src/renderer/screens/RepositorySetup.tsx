import { CopyButton } from '../components/CopyButton.js';
import type { RepositoryDetail } from '../graphql/types.js';
import { borgmaticSnippet, setupLines } from './setup-commands.js';

/** Everything a backup client needs, ready to copy; IMPORT and EXPORT get rsync, not borg. */
export function RepositorySetup({ repository }: { repository: RepositoryDetail }) {
  const lines = setupLines(repository);
  return (
    <section className="card" aria-labelledby="connect-title">
      <h2 id="connect-title">Set up a client</h2>
      {lines.map((line) => (
        <CopyRow key={line.label} {...line} />
      ))}
      {repository.mode === 'BORG' && (
        <details className="setup-snippet">
          <summary>borgmatic configuration</summary>
          <pre className="mono" data-testid="borgmatic-config">
            {borgmaticSnippet(repository)}
          </pre>
          <CopyButton text={borgmaticSnippet(repository)} label="Copy borgmatic configuration" />
        </details>
      )}
      <p className="hint">
        The server’s SSH host key is the one of {repository.url.replace(/^ssh:\/\/[^@]+@([^/]+)\/.*$/, '$1')}:
        compare its fingerprint with your administrator before the first connection.
      </p>
    </section>
  );
}

function CopyRow({ label, value, testId }: { label: string; value: string; testId?: string | undefined }) {
  return (
    <div className="copy-row">
      <span className="copy-label">{label}</span>
      <code className="copy-value" data-testid={testId}>
        {value}
      </code>
      <CopyButton text={value} label={`Copy ${label.toLowerCase()}`} />
    </div>
  );
}

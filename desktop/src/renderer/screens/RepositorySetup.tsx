import { CopyButton } from '../components/CopyButton.js';
import { HostKeyFingerprints } from './Locations.js';
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
      <h3>Host keys of {repository.location.name}</h3>
      <p className="hint">
        On the first connection ssh shows one of these fingerprints for {repository.location.sshHost}: compare
        before you answer yes.
      </p>
      <div className="mono small" data-testid="host-key-fingerprints">
        <HostKeyFingerprints fingerprints={repository.location.hostKeyFingerprints} />
      </div>
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

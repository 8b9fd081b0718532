import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { desktopBridge } from '../renderer/hives/bridge.js';
import { createFetcher, resolveTarget } from './fetcher.js';

// The explorer is bundled (monaco workers included): it works with no network beyond the hive itself.
const container = document.getElementById('graphiql');
if (!container) throw new Error('missing #graphiql');
const root = createRoot(container);
try {
  const { url, token } = await resolveTarget(desktopBridge());
  root.render(
    <StrictMode>
      <GraphiQL fetcher={createFetcher(url, token)} defaultQuery={'{\n  me {\n    username\n  }\n}\n'} />
    </StrictMode>,
  );
} catch (error) {
  root.render(
    <p role="alert">
      GraphQL explorer unavailable: {error instanceof Error ? error.message : String(error)}
    </p>,
  );
}

import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export interface Alert {
  readonly key: string;
  readonly title: string;
  readonly message: string;
  readonly href?: string;
}

interface AlertsApi {
  readonly alerts: readonly Alert[];
  readonly push: (alert: Alert) => void;
  readonly dismiss: (key: string) => void;
}

const AlertsContext = createContext<AlertsApi>({ alerts: [], push: () => {}, dismiss: () => {} });

export function useAlerts(): AlertsApi {
  return useContext(AlertsContext);
}

/** Toasts for ALERT events that arrive through subscriptions; newest on top, at most five kept. */
export function AlertsProvider({ children }: { children: ReactNode }) {
  const [alerts, setAlerts] = useState<readonly Alert[]>([]);
  const push = useCallback((alert: Alert) => {
    setAlerts((list) => (list.some((a) => a.key === alert.key) ? list : [alert, ...list].slice(0, 5)));
  }, []);
  const dismiss = useCallback((key: string) => setAlerts((list) => list.filter((a) => a.key !== key)), []);
  const api = useMemo(() => ({ alerts, push, dismiss }), [alerts, push, dismiss]);
  return (
    <AlertsContext value={api}>
      {children}
      <section className="toasts" aria-label="Alerts" aria-live="polite">
        {alerts.map((alert) => (
          <div key={alert.key} className="toast" role="alert" data-testid="alert-toast">
            <div>
              <strong>{alert.href ? <a href={alert.href}>{alert.title}</a> : alert.title}</strong>
              <p>{alert.message}</p>
            </div>
            <button
              type="button"
              className="icon-button"
              aria-label="Dismiss alert"
              onClick={() => dismiss(alert.key)}
            >
              ×
            </button>
          </div>
        ))}
      </section>
    </AlertsContext>
  );
}

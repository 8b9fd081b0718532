import type { ReactNode } from 'react';

interface Props {
  /** what the button names for screen readers, e.g. "Delete key laptop" */
  label: string;
  /** the question asked before anything happens */
  confirm: string;
  busy: boolean;
  onConfirmed: () => void;
  children?: ReactNode;
}

/** A destructive action: asks first, and does nothing unless the answer is yes. */
export function DeleteButton({ label, confirm, busy, onConfirmed, children = 'Delete' }: Props) {
  return (
    <button
      type="button"
      className="button-danger"
      aria-label={label}
      disabled={busy}
      onClick={() => {
        if (window.confirm(confirm)) onConfirmed();
      }}
    >
      {children}
    </button>
  );
}

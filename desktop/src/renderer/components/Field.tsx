import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import type { FormProblems } from './form-problems.js';

/** What a control inside a FieldFrame spreads onto itself. */
export interface FieldControl {
  name: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

interface FrameProps {
  label: ReactNode;
  name: string;
  problems: FormProblems;
  hint?: string | undefined;
  children: (control: FieldControl) => ReactNode;
}

/**
 * A labelled control (input, textarea, select) with its hint and the server's problem with it right
 * below, both tied to it for screen readers.
 */
export function FieldFrame({ label, name, problems, hint, children }: FrameProps) {
  const id = useId();
  const problem = problems.fields.get(name);
  const describedBy = [hint ? `${id}-hint` : '', problem ? `${id}-problem` : ''].filter(Boolean).join(' ');
  return (
    <label>
      {label}
      {children({
        name,
        'aria-invalid': problem ? true : undefined,
        'aria-describedby': describedBy || undefined,
      })}
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {problem && (
        <span id={`${id}-problem`} role="alert" className="field-error" data-testid={`problem-${name}`}>
          {problem}
        </span>
      )}
    </label>
  );
}

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'name'> {
  label: ReactNode;
  name: string;
  problems: FormProblems;
  hint?: string;
}

/** A FieldFrame around an input. */
export function Field({ label, name, problems, hint, ...input }: FieldProps) {
  return (
    <FieldFrame label={label} name={name} problems={problems} hint={hint}>
      {(control) => <input {...input} {...control} />}
    </FieldFrame>
  );
}

/** The part of a failed save that no field shows. */
export function FormError({ problems }: { problems: FormProblems }) {
  if (!problems.rest) return null;
  return (
    <p role="alert" className="error">
      {problems.rest}
    </p>
  );
}

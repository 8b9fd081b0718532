import type { FormEvent } from 'react';

/**
 * A form's submit handler: reads the form, runs `save` and clears the form when it saved (a refused save
 * keeps what was typed; its error shows through the mutation's state).
 */
export function submitForm(save: (form: FormData) => Promise<{ data?: unknown } | null | undefined>) {
  return (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const element = event.currentTarget;
    void save(new FormData(element))
      .catch(() => null)
      .then((result) => {
        if (result?.data) element.reset();
      });
  };
}

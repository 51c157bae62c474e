const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatWhen = (value: string | null | undefined) =>
  value ? dateTime.format(new Date(value)) : '—';

/** Link targets of react-admin's show pages; ids may hold characters a path cannot. */
export const customerPath = (id: string) => `/customers/${encodeURIComponent(id)}/show`;
export const generationPath = (id: string) => `/generations/${encodeURIComponent(id)}/show`;

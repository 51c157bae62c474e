export const generationStatuses = ['pending', 'processing', 'succeeded', 'failed', 'cancelled'].map(
  (id) => ({ id, name: id }),
);

export const statusColor = (status: unknown) =>
  status === 'succeeded'
    ? 'success'
    : status === 'failed'
      ? 'error'
      : status === 'cancelled'
        ? 'default'
        : 'info';

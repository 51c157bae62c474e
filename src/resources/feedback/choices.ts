export const feedbackStatuses = ['new', 'reviewed', 'resolved', 'dismissed'].map((id) => ({
  id,
  name: id,
}));

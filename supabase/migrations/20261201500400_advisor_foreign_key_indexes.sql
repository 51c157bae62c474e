-- Supabase's performance advisor (unindexed foreign keys) flagged these two (issue 17.8).
create index staff_created_by_idx on public.staff (created_by);
create index feedback_session_idx on public.feedback (session_id);

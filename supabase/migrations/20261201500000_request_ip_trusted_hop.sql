-- private.request_ip() took the leftmost X-Forwarded-For entry, which the client writes:
-- `X-Forwarded-For: 203.0.113.66` landed in admin_audit.ip and admin_sessions.ip. It now
-- takes the address the trusted edge set (CF-Connecting-IP on hosted, the gateway locally)
-- or the right-most X-Forwarded-For hop (issue 17.1).

-- The caller's address as the trusted edge saw it, never as the caller claims it. Hosted
-- Supabase is behind Cloudflare, which overwrites CF-Connecting-IP with the connecting address
-- (the local gateway does the same from its socket); without it, the right-most
-- X-Forwarded-For entry, the one the last proxy appended. The leftmost entry, and X-Real-IP,
-- are whatever the client sent. Only address characters are kept (the column is text).
create or replace function private.request_ip()
returns text language sql stable set search_path = '' as $$
  select ip from (
    select coalesce(nullif(btrim(private.request_header('cf-connecting-ip')), ''),
                    nullif(btrim(regexp_replace(private.request_header('x-forwarded-for'), '^.*,', '')), '')) as ip
  ) trusted
  where ip ~ '^[0-9A-Fa-f:.]{2,45}$'
$$;

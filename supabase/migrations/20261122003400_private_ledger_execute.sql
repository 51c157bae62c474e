-- The SECURITY DEFINER functions that write ledger and audit rows kept Postgres's default
-- EXECUTE for PUBLIC. `private` is not exposed over HTTP, and only the RPCs (running as their
-- owner) call them, so no client could reach them today; but authenticated and service_role
-- hold USAGE on `private` for the policy helpers, so one mis-set "exposed schemas" would have
-- let a signed-in user write any ledger entry or audit row. Only their owner runs them now.
revoke execute on function
  private.apply_credit_change(text, integer, text, text, text, text, text, text, text, text, numeric),
  private.refund_generation_credits(text, text, text, text, text),
  private.write_audit(text, text, text, jsonb)
  from public;

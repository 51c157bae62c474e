/*
 * A stand-in for the `safeupdate` extension hosted Supabase loads for PostgREST's role
 * (session_preload_libraries): Debian packages no safeupdate, and without it an UPDATE or DELETE
 * without WHERE passes here and fails on hosted. Our own few lines, built by the native test
 * set-up (test/support/native-postgres.mjs) when Postgres' server headers are installed, and
 * loaded for `authenticator` only, as on hosted. Every statement the session parses goes through
 * the hook, those inside functions and triggers included; the refusal is hosted's: SQLSTATE
 * 21000, "UPDATE requires a WHERE clause".
 */
#include "postgres.h"

#include "fmgr.h"
#include "nodes/parsenodes.h"
#include "parser/analyze.h"

PG_MODULE_MAGIC;

void _PG_init(void);

static post_parse_analyze_hook_type previous_hook = NULL;

static void
refuse_unguarded(Query *query)
{
	ListCell   *lc;

	if ((query->commandType == CMD_UPDATE || query->commandType == CMD_DELETE) &&
		query->jointree != NULL && query->jointree->quals == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_CARDINALITY_VIOLATION),
				 errmsg("%s requires a WHERE clause",
						query->commandType == CMD_UPDATE ? "UPDATE" : "DELETE")));
	/* WITH gone AS (DELETE FROM t) … is a statement of its own for this purpose. */
	foreach(lc, query->cteList)
	{
		CommonTableExpr *cte = lfirst_node(CommonTableExpr, lc);

		if (IsA(cte->ctequery, Query))
			refuse_unguarded((Query *) cte->ctequery);
	}
}

static void
check_statement(ParseState *pstate, Query *query, JumbleState *jstate)
{
	if (previous_hook)
		previous_hook(pstate, query, jstate);
	refuse_unguarded(query);
}

void
_PG_init(void)
{
	previous_hook = post_parse_analyze_hook;
	post_parse_analyze_hook = check_statement;
}

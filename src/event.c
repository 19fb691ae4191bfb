/* event: names of the states carried by events (shared by every consumer). */
#include "srmigrate/event.h"

#include <stddef.h>

#define NAME_OF(table, v) \
	((size_t)(v) < sizeof(table) / sizeof((table)[0]) && (table)[v] ? (table)[v] : "?")

const char *
engine_state_name(enum engine_state s)
{
	static const char *const n[] = {
		[ENGINE_CHECKING] = "CHECKING", [ENGINE_WAITING] = "WAITING",
		[ENGINE_SYNCING] = "SYNCING", [ENGINE_PAUSED] = "PAUSED",
		[ENGINE_STOPPED] = "STOPPED", [ENGINE_CUTOVER] = "CUTOVER",
		[ENGINE_DONE] = "DONE",
	};
	return NAME_OF(n, s);
}

const char *
table_state_name(enum table_state s)
{
	static const char *const n[] = {
		[TABLE_UNKNOWN] = "unknown", [TABLE_UNFINISHED] = "unfinished",
		[TABLE_DDL] = "ddl", [TABLE_SYNCING] = "syncing",
		[TABLE_FINISHED] = "finished", [TABLE_EXPIRED] = "expired",
		[TABLE_BLOCKED] = "blocked", [TABLE_FAILED] = "failed",
	};
	return NAME_OF(n, s);
}

const char *
job_state_name(enum job_state s)
{
	static const char *const n[] = {
		[JOB_PENDING] = "pending", [JOB_SENT] = "sent", [JOB_RUNNING] = "running",
		[JOB_FINISHED] = "finished", [JOB_FAILED] = "failed", [JOB_UNKNOWN] = "unknown",
	};
	return NAME_OF(n, s);
}

const char *
ddl_state_name(enum ddl_state s)
{
	static const char *const n[] = {
		[DDL_QUEUED] = "queued", [DDL_HELD] = "held", [DDL_RUNNING] = "running",
		[DDL_DONE] = "done", [DDL_FAILED] = "failed", [DDL_SKIPPED] = "skipped",
	};
	return NAME_OF(n, s);
}

const char *
check_status_name(enum check_status s)
{
	static const char *const n[] = {
		[CHECK_PENDING] = "....", [CHECK_PASS] = "PASS", [CHECK_WARN] = "WARN",
		[CHECK_FAIL] = "FAIL", [CHECK_SKIP] = "SKIP",
	};
	return NAME_OF(n, s);
}

const char *
node_kind_name(enum node_kind k)
{
	static const char *const n[] = { [NODE_FE] = "FE", [NODE_BE] = "BE", [NODE_CN] = "CN" };
	return NAME_OF(n, k);
}

const char *
side_name(enum side s)
{
	return s == SIDE_SOURCE ? "SOURCE" : "TARGET";
}

const char *
cutover_step_title(enum cutover_step s)
{
	static const char *const n[] = {
		[CUT_NONE] = "Not started",
		[CUT_STOP_WRITES] = "1. Stop writes to the source",
		[CUT_CATCH_UP] = "2. Catch up",
		[CUT_VERIFY] = "3. Verify",
		[CUT_STOP_SYNC] = "4. Stop syncing",
		[CUT_RESTORE] = "5. Restore settings",
		[CUT_REMIND] = "6. Last manual steps",
		[CUT_DONE] = "Cutover complete",
	};
	return NAME_OF(n, s);
}

/*
 * errs: the MySQL error codes srsim answers with, as StarRocks's ErrorCode
 * defines them. Parse and most analysis errors come back as 1064 (HY000), the
 * way StarRocks 3.x reports them.
 */
#ifndef SRSIM_ERRS_H
#define SRSIM_ERRS_H

#define E_DB_CREATE_EXISTS 1007		/* HY000 */
#define E_DB_DROP_EXISTS 1008		/* HY000 */
#define E_AUTH 1045			/* 28000 */
#define E_NO_DB 1046			/* 3D000 */
#define E_UNKNOWN_COM 1047		/* 08S01 */
#define E_BAD_DB 1049			/* 42000 */
#define E_TABLE_EXISTS 1050		/* 42S01 */
#define E_BAD_TABLE 1051		/* 42S02 */
#define E_SYNTAX 1064			/* HY000 */
#define E_WRONG_DB_NAME 1102		/* 42000 */
#define E_WRONG_TABLE_NAME 1104		/* 42000 */
#define E_WRONG_COLUMN_NAME 1166	/* 42000 */
#define E_UNKNOWN_VAR 1193		/* HY000 */
#define E_WRONG_PARTITION_NAME 1567	/* HY000 */
#define E_CONFIG 5102			/* F0000 */
#define E_ACCESS_DENIED 5203		/* 42000 */
#define E_PARTITION_STEP 5701		/* 42000: ERR_ADD_PARTITION_WITH_ERROR_STEP_LENGTH */

const char *err_sqlstate(int code);

#endif /* SRSIM_ERRS_H */

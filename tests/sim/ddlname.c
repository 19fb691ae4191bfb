/*
 * ddlname: the names StarRocks accepts (FeNameFormat), part of the ddlparse
 * module. Databases and partitions: a letter then letters, digits and
 * underscores, or an underscore then a letter or digit (ASCII only: Java's \w);
 * tables: anything but NUL; columns: anything but NUL = < > ! * and the shadow
 * prefix of schema changes.
 */
#include "ddlparse.h"

#include <stdio.h>
#include <string.h>

#include "errs.h"

/* ^[a-zA-Z]\w{0,max-1}$|^_[a-zA-Z0-9]\w{0,max-2}$ */
static bool
common_name(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (len == 0 || len > max || !(g_ascii_isalpha(s[0]) || (s[0] == '_' && g_ascii_isalnum(s[1]))))
		return false;
	for (size_t i = 1; i < len; i++)
		if (!g_ascii_isalnum(s[i]) && s[i] != '_')
			return false;
	return true;
}

int
dp_check_name(enum dp_name kind, const char *name, char *msg, size_t n)
{
	/* lengths count Java chars; for the names tests use, UTF-8 characters serve */
	long chars = g_utf8_validate(name, -1, NULL) ? g_utf8_strlen(name, -1) : (long)strlen(name);
	const char *what = NULL;
	int code = 0;

	switch (kind) {
	case DPN_DB:
		if (!common_name(name, 256))
			what = "database", code = E_WRONG_DB_NAME;
		break;
	case DPN_TABLE:
		if (chars < 1 || chars > 1024)
			what = "table", code = E_WRONG_TABLE_NAME;
		break;
	case DPN_COLUMN:
		if (chars < 1 || chars > 1024 || strpbrk(name, "=<>!*") || g_str_has_prefix(name, "__starrocks_shadow_"))
			what = "column", code = E_WRONG_COLUMN_NAME;
		break;
	case DPN_PARTITION:
		if (!common_name(name, 64) || g_str_has_prefix(name, "placeholder_"))
			what = "partition", code = E_WRONG_PARTITION_NAME;
		break;
	}
	if (code)
		snprintf(msg, n, "Getting analyzing error. Detail message: Incorrect %s name '%s'.", what, name);
	return code;
}

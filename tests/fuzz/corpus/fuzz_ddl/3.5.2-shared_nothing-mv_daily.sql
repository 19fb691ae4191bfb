CREATE MATERIALIZED VIEW `mv_daily` (`dt`, `total`)
DISTRIBUTED BY RANDOM
REFRESH ASYNC
PROPERTIES (
"replicated_storage" = "true",
"replication_num" = "3"
)
AS SELECT dt, sum(v1) AS total FROM gen_db_000.t_00000 GROUP BY dt;

CREATE MATERIALIZED VIEW `mv1` (`dt`, `n`)
DISTRIBUTED BY HASH(`dt`) BUCKETS 2 
REFRESH ASYNC START("2024-01-01 00:00:00") EVERY(INTERVAL 1 DAY)
PROPERTIES (
"replicated_storage" = "true",
"replication_num" = "3",
"storage_medium" = "HDD"
)
AS SELECT `orders`.`dt`, count(*) AS `n` FROM `sales`.`orders` GROUP BY `orders`.`dt`;
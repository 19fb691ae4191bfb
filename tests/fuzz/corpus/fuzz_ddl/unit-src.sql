CREATE TABLE `t` (`k` int) ENGINE=OLAP DUPLICATE KEY(`k`) DISTRIBUTED BY HASH(`k`)
PROPERTIES (
"bloom_filter_columns" = "k",
"compression" = "ZSTD(3)",
"dynamic_partition.end" = "3",
"partition_live_number" = "7",
"replication_num" = "3",
"storage_cooldown_ttl" = "1 day"
);
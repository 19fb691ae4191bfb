CREATE TABLE `t` (`k` int) ENGINE=OLAP DUPLICATE KEY(`k`) DISTRIBUTED BY HASH(`k`)
PROPERTIES (
"compression" = "LZ4",
"dynamic_partition.end" = "3",
"partition_live_number" = "5",
"replication_num" = "1"
);
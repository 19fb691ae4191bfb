CREATE TABLE `we``ird` (
  `k` varchar(20) NOT NULL COMMENT "",
  `v` int(11) REPLACE NULL COMMENT ""
) ENGINE=OLAP 
UNIQUE KEY(`k`)
DISTRIBUTED BY RANDOM BUCKETS 3 
PROPERTIES (
"replication_num" = "2",
"in_memory" = "false",
"enable_persistent_index" = "false",
"replicated_storage" = "true",
"binlog_enable" = "false",
"binlog_ttl_second" = "1800",
"compression" = "LZ4"
);
CREATE TABLE `events` (
  `id` bigint(20) NOT NULL COMMENT "",
  `ts` datetime NOT NULL COMMENT "",
  `v` varchar(100) NULL COMMENT ""
) ENGINE=OLAP 
PRIMARY KEY(`id`, `ts`)
PARTITION BY date_trunc('day', `ts`)
DISTRIBUTED BY HASH(`id`) BUCKETS 4 
PROPERTIES (
"compression" = "LZ4",
"datacache.enable" = "true",
"enable_async_write_back" = "false",
"enable_persistent_index" = "true",
"persistent_index_type" = "LOCAL",
"replication_num" = "1",
"storage_volume" = "vol1"
);
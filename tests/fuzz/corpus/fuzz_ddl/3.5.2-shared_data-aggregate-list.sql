CREATE TABLE `t_00005` (
  `k1` bigint(20) NOT NULL COMMENT "",
  `dt` date NOT NULL COMMENT "",
  `region` varchar(32) NOT NULL COMMENT "",
  `v1` bigint(20) SUM NULL COMMENT "",
  `v2` varchar(64) REPLACE NULL COMMENT "",
  `v3` decimal(38, 4) SUM NULL COMMENT ""
) ENGINE=OLAP 
AGGREGATE KEY(`k1`, `dt`, `region`)
PARTITION BY LIST(`region`)(
  PARTITION p_r0 VALUES IN ('r0'),
  PARTITION p_r1 VALUES IN ('r1')
)
DISTRIBUTED BY HASH(`k1`) BUCKETS 4 
PROPERTIES (
"compression" = "LZ4",
"datacache.enable" = "true",
"enable_async_write_back" = "false",
"replication_num" = "1",
"storage_volume" = "builtin_storage_volume"
);

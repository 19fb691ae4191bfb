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
"replication_num" = "3",
"in_memory" = "false",
"enable_persistent_index" = "false",
"replicated_storage" = "true",
"fast_schema_evolution" = "true",
"compression" = "LZ4"
);

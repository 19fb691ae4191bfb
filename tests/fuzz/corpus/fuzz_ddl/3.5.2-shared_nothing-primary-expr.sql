CREATE TABLE `t_00015` (
  `k1` bigint(20) NOT NULL COMMENT "",
  `dt` date NOT NULL COMMENT "",
  `region` varchar(32) NOT NULL COMMENT "",
  `v1` bigint(20) NULL COMMENT "",
  `v2` varchar(64) NULL COMMENT "",
  `v3` decimal(18, 4) NULL COMMENT ""
) ENGINE=OLAP 
PRIMARY KEY(`k1`, `dt`, `region`)
PARTITION BY date_trunc('day', `dt`)
DISTRIBUTED BY HASH(`k1`) BUCKETS 4 
PROPERTIES (
"compression" = "LZ4",
"enable_persistent_index" = "true",
"fast_schema_evolution" = "true",
"replicated_storage" = "true",
"replication_num" = "3"
);

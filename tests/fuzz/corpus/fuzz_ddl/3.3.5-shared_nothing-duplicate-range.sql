CREATE TABLE `t_00000` (
  `k1` bigint(20) NOT NULL COMMENT "",
  `dt` date NOT NULL COMMENT "",
  `region` varchar(32) NOT NULL COMMENT "",
  `v1` bigint(20) NULL COMMENT "",
  `v2` varchar(64) NULL COMMENT "",
  `v3` decimal(18, 4) NULL COMMENT ""
) ENGINE=OLAP 
DUPLICATE KEY(`k1`, `dt`, `region`)
PARTITION BY RANGE(`dt`)
(PARTITION p20240101 VALUES [("2024-01-01"), ("2024-01-02")),
PARTITION p20240102 VALUES [("2024-01-02"), ("2024-01-03")))
DISTRIBUTED BY HASH(`k1`) BUCKETS 4 
PROPERTIES (
"compression" = "LZ4",
"fast_schema_evolution" = "true",
"replicated_storage" = "true",
"replication_num" = "3"
);

CREATE TABLE `agg` (
  `k` int(11) NOT NULL COMMENT "",
  `v` bigint(20) SUM NULL COMMENT "",
  `m` decimal(38, 9) SUM NULL COMMENT ""
) ENGINE=OLAP 
AGGREGATE KEY(`k`)
PARTITION BY LIST(`k`)(
  PARTITION p1 VALUES IN ("1", "2"),
  PARTITION p10 VALUES IN ("10"),
  PARTITION p2 VALUES IN ("3")
)
DISTRIBUTED BY HASH(`k`) BUCKETS 2 
PROPERTIES (
"compression" = "ZSTD(3)",
"replicated_storage" = "true",
"replication_num" = "3"
);
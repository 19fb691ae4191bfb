CREATE TABLE `d` (
  `dt` date NOT NULL COMMENT ""
) ENGINE=OLAP 
DUPLICATE KEY(`dt`)
PARTITION BY RANGE(`dt`)
(PARTITION p20240101 VALUES [("2024-01-01"), ("2024-01-02")))
DISTRIBUTED BY HASH(`dt`) BUCKETS 2 
PROPERTIES (
"dynamic_partition.enable" = "true",
"dynamic_partition.replication_num" = "3",
"dynamic_partition.time_unit" = "DAY",
"replication_num" = "3"
);
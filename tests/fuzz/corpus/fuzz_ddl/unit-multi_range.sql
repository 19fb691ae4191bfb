CREATE TABLE `m` (
  `dt` date NOT NULL COMMENT "",
  `region` varchar(8) NOT NULL COMMENT ""
) ENGINE=OLAP 
DUPLICATE KEY(`dt`, `region`)
PARTITION BY RANGE(`dt`, `region`)
(PARTITION `p 1` VALUES [("2024-01-01", "eu"), ("2024-01-01", "us")),
PARTITION p2 VALUES [("2024-01-01", "us"), ("2024-01-02", "eu")))
DISTRIBUTED BY HASH(`dt`, `region`) BUCKETS 6 
PROPERTIES (
"replication_num" = "3"
);
CREATE TABLE `ml` (
  `region` varchar(8) NOT NULL COMMENT "",
  `city` varchar(32) NOT NULL COMMENT ""
) ENGINE=OLAP 
DUPLICATE KEY(`region`, `city`)
PARTITION BY LIST(`region`, `city`)(
  PARTITION p_eu VALUES IN (("eu", "paris"), ("eu", "rome, italy")),
  PARTITION p_us VALUES IN (("us", "nyc"))
)
DISTRIBUTED BY RANDOM
PROPERTIES (
"replication_num" = "3"
);
CREATE TABLE `al` (
  `c1` int(11) NOT NULL COMMENT "",
  `c2` varchar(8) NOT NULL COMMENT ""
) ENGINE=OLAP 
DUPLICATE KEY(`c1`)
PARTITION BY (`c1`,`c2`)
DISTRIBUTED BY HASH(`c1`)
PROPERTIES (
"replication_num" = "3"
);
CREATE TABLE `orders` (
  `dt` date NOT NULL COMMENT "order date",
  `id` bigint(20) NOT NULL COMMENT "",
  `note` varchar(65533) NULL DEFAULT "none" COMMENT "it's a \"note\"; PROPERTIES (\"x\" = \"y\")",
  INDEX idx_note (`note`) USING BITMAP COMMENT 'PROPERTIES ("replication_num" = "9")'
) ENGINE=OLAP 
DUPLICATE KEY(`dt`, `id`)
COMMENT "orders; PRIMARY KEY lives elsewhere; see PROPERTIES"
PARTITION BY RANGE(`dt`)
(PARTITION p20240101 VALUES [("2024-01-01"), ("2024-01-02")),
PARTITION p20240102 VALUES [("2024-01-02"), ("2024-01-03")) ("replication_num" = "1"),
PARTITION p20240103 VALUES [("2024-01-03"), ("2024-01-04")))
DISTRIBUTED BY HASH(`id`) BUCKETS 8 
ORDER BY(`dt`)
PROPERTIES (
"compression" = "LZ4",
"fast_schema_evolution" = "true",
"replicated_storage" = "true",
"replication_num" = "3",
"storage_medium" = "SSD"
);
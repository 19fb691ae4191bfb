CREATE VIEW `v_recent` AS SELECT k1, dt, v1 FROM gen_db_000.t_00000 WHERE v1 > 0;	utf8	utf8_general_ci

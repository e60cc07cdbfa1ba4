-- Torture schema for the dumper: every type and name case the issue lists.
-- Loaded with the stock client into a fresh database (USE is done by the test).
SET NAMES utf8mb4;
SET time_zone = '+00:00';
SET sql_mode = 'NO_AUTO_VALUE_ON_ZERO';

CREATE SEQUENCE `seq_orders` START WITH 100 INCREMENT BY 5 NOCACHE;
CREATE SEQUENCE `seq cached` START WITH 1 INCREMENT BY 1 CACHE 10 CYCLE MAXVALUE 1000;
DO NEXTVAL(`seq_orders`), NEXTVAL(`seq_orders`), NEXTVAL(`seq cached`);

CREATE TABLE `ints` (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT, mi MEDIUMINT, i INT, iu INT UNSIGNED ZEROFILL,
  bi BIGINT, bu BIGINT UNSIGNED, seqd BIGINT DEFAULT NEXTVAL(`seq_orders`)
) ENGINE=InnoDB AUTO_INCREMENT=1000;
INSERT INTO `ints` (id, ti, tu, si, mi, i, iu, bi, bu) VALUES
 (1, -128, 255, -32768, -8388608, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615),
 (2, 127, 0, 32767, 8388607, 2147483647, 0, 9223372036854775807, 0),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (0, 0, 0, 0, 0, 0, 7, 0, 9007199254740993);

CREATE TABLE `nums` (
  id INT PRIMARY KEY, d DECIMAL(65,30), d2 DECIMAL(10,2) UNSIGNED, f FLOAT, d8 DOUBLE, f2 FLOAT(7,3)
);
INSERT INTO `nums` VALUES
 (1, '12345678901234567890123456789012345.123456789012345678901234567890', 0.01, 0.1, 0.1, 1.5),
 (2, '-99999999999999999999999999999999999.999999999999999999999999999999', 99999999.99, 3.4028234e38, 1.7976931348623157e308, -9999.999),
 (3, 0, 0, 1.17549435e-38, 4.9e-324, 0),
 (4, 1e-30, 5, 16777217, 0.30000000000000004, 1.001),
 (5, NULL, NULL, 1234567.89, 123456789.123456789, NULL),
 (6, 3.14, 1, -1.4e-45, -2.2250738585072014e-308, NULL),
 (7, 2.5, 2, 0.333333343267, 1e22, NULL);

CREATE TABLE `bits_and_time` (
  id INT PRIMARY KEY, b1 BIT(1), b8 BIT(8), b64 BIT(64), y YEAR,
  dt DATE, dtt DATETIME(6), ts TIMESTAMP(6) NULL DEFAULT NULL, tm TIME(6), dz DATETIME
);
INSERT INTO `bits_and_time` VALUES
 (1, b'1', b'10100101', b'1111111111111111111111111111111111111111111111111111111111111111', 2155, '0000-00-00', '0000-00-00 00:00:00.000000', '1970-01-01 00:00:01.000001', '-838:59:59.000000', '0000-00-00 00:00:00'),
 (2, b'0', b'0', b'0', 1901, '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '838:59:59.000000', '2024-02-29 12:00:00'),
 (3, NULL, NULL, NULL, 0, '2024-00-15', '1000-01-01 00:00:00.5', '2021-03-28 01:30:00.123456', '-00:00:00.000001', '2024-01-00 00:00:00'),
 (4, b'1', b'11111111', b'1000000000000000000000000000000000000000000000000000000000000000', NULL, NULL, NULL, NULL, '25:00:00.25', NULL);

CREATE TABLE `strings` (
  id INT PRIMARY KEY,
  e ENUM('a','b c','d''e','ü'), s SET('x','y','z;'),
  v VARCHAR(200), tx TEXT, j JSON, c CHAR(5),
  bn BINARY(4), vb VARBINARY(100), bl BLOB, lb LONGBLOB
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT INTO `strings` VALUES
 (1, 'd''e', 'x,y', 'quote '' dq " bs \\ nl \n cr \r tab \t ctrlz \Z nul \0 end', 'emoji 😀🎉 ünïcødé 中文', '{"a": [1, 2.50, "x\\"y"],   "b" : null}', 'ab', 0x00010203, 0x001A275C22, 0x00FF1A5C27220D0A, NULL),
 (2, 'ü', '', '', '', '[]', '', 0x00000000, '', '', ''),
 (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (4, 'b c', 'x,y,z;', 'trailing space   ', REPEAT('long text ', 5000), '{"n": 1.0e10, "s": "\\u00e9"}', 'abc  ', 0xFFFFFFFF, 0x80818283, REPEAT(0x00, 1000), 0xC0FFEE);

CREATE TABLE `latin` (
  id INT PRIMARY KEY, l VARCHAR(100) CHARACTER SET latin1, g VARCHAR(100) CHARACTER SET greek, c CHAR(10) CHARACTER SET cp1251
) DEFAULT CHARSET=latin1;
INSERT INTO `latin` VALUES (1, 'café naïve Ærø ÿ ¤ ©', 'αβγ Ωμέγα', 'Привет'), (2, CONCAT('x', CHAR(0xE9 USING latin1), '\\', CHAR(0x27 USING latin1)), 'λ', 'Ж');

CREATE TABLE `défaut ñ` (
  id INT PRIMARY KEY, l VARCHAR(20) CHARACTER SET latin1 DEFAULT 'é' COMMENT 'commentaire ü',
  u VARCHAR(20) DEFAULT 'ü😀', CONSTRAINT `chk ü` CHECK (id >= 0)
) COMMENT='table ñ 😀';
INSERT INTO `défaut ñ` (id) VALUES (1);

CREATE TABLE `geo` (id INT PRIMARY KEY, p POINT, g GEOMETRY, poly POLYGON);
INSERT INTO `geo` VALUES
 (1, ST_GeomFromText('POINT(1.5 -2.25)'), ST_GeomFromText('LINESTRING(0 0, 1 1, 2 0.5)'), ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0))')),
 (2, ST_GeomFromText('POINT(0 0)', 4326), NULL, NULL);

CREATE TABLE `gen_invis` (
  id INT PRIMARY KEY AUTO_INCREMENT,
  a INT, b INT AS (a * 2) VIRTUAL, c VARCHAR(20) AS (CONCAT('v', a)) STORED,
  secret VARCHAR(20) INVISIBLE DEFAULT 'dflt'
);
INSERT INTO `gen_invis` (id, a, secret) VALUES (1, 1, 'hidden1'), (2, 2, NULL), (3, NULL, 'x');

CREATE TABLE `no pk` (a INT, b VARCHAR(10)) ENGINE=InnoDB;
INSERT INTO `no pk` VALUES (1, 'x'), (1, 'x'), (NULL, NULL), (2, 'y');

CREATE TABLE `parts` (id INT NOT NULL, yr INT NOT NULL, v VARCHAR(10), PRIMARY KEY (id, yr))
  PARTITION BY RANGE (yr) (PARTITION p0 VALUES LESS THAN (2000), PARTITION p1 VALUES LESS THAN (2020), PARTITION pmax VALUES LESS THAN MAXVALUE);
INSERT INTO `parts` VALUES (1, 1999, 'a'), (2, 2010, 'b'), (3, 2030, 'c');

CREATE TABLE `legacy_myisam` (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(20), KEY (v)) ENGINE=MyISAM;
INSERT INTO `legacy_myisam` (v) VALUES ('m1'), ('m2'), ('m3');

CREATE TABLE `we``ird "name" 'x' ü ✓` (`select` INT PRIMARY KEY, `from` VARCHAR(10), `co``l` INT, `space col` INT);
INSERT INTO `we``ird "name" 'x' ü ✓` VALUES (1, 'where', 2, 3);

CREATE TABLE `order` (`group` INT PRIMARY KEY, total DECIMAL(10,2));
INSERT INTO `order` VALUES (1, 10.50), (2, 20.00);

CREATE TABLE `audit_log` (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(100));
INSERT INTO `audit_log` (msg) VALUES ('before');

CREATE TABLE `big_row` (id INT PRIMARY KEY, payload LONGBLOB);
INSERT INTO `big_row` VALUES (1, REPEAT(0x00FF1A275C, 614400)), (2, 'small'), (3, REPEAT('ab', 10));

CREATE TABLE `fk_parent` (id INT PRIMARY KEY) ENGINE=InnoDB;
CREATE TABLE `fk_child` (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES `fk_parent` (id)) ENGINE=InnoDB;
INSERT INTO `fk_parent` VALUES (1), (2);
INSERT INTO `fk_child` VALUES (10, 1), (20, 2);

DELIMITER ;;
CREATE DEFINER=`root`@`localhost` TRIGGER `order_ai` AFTER INSERT ON `order` FOR EACH ROW
BEGIN
  INSERT INTO `audit_log` (msg) VALUES (CONCAT('order; ', NEW.`group`));
END ;;
CREATE DEFINER=`root`@`localhost` PROCEDURE `add order`(IN g INT, IN t DECIMAL(10,2))
  COMMENT 'a ''quoted'' comment'
BEGIN
  INSERT INTO `order` VALUES (g, t);
  SELECT 'done; really' AS msg;
END ;;
CREATE DEFINER=`root`@`localhost` FUNCTION `twice`(x INT) RETURNS int(11) DETERMINISTIC
RETURN x * 2 ;;
CREATE DEFINER=`root`@`localhost` FUNCTION `grüß`() RETURNS varchar(20) CHARSET utf8mb4 COLLATE utf8mb4_general_ci DETERMINISTIC
RETURN 'grüß 😀' ;;
CREATE DEFINER=`root`@`localhost` EVENT `nightly` ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 03:00:00' ON COMPLETION PRESERVE DISABLE
DO INSERT INTO `audit_log` (msg) VALUES ('nightly') ;;
DELIMITER ;

-- views over views, created so that name order differs from dependency order
CREATE DEFINER=`root`@`localhost` SQL SECURITY INVOKER VIEW `b_base_view` AS SELECT `group`, total FROM `order`;
CREATE DEFINER=`root`@`localhost` VIEW `a_top_view` AS SELECT `group`, total * 2 AS dbl, twice(`group`) AS tw FROM `b_base_view`;
CREATE VIEW `vue ç` AS SELECT 'ñ 😀' AS `ç`, id, `grüß`() AS g FROM `défaut ñ`;
CREATE VIEW `c view with space` AS SELECT a.`group` FROM `a_top_view` a JOIN `b_base_view` b USING (`group`);

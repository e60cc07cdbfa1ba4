-- A schema with every shape the graph must handle: a cycle (projects ↔
-- areas), a composite foreign key (sections → areas), a self-reference
-- (sections.parent_id), a table without a primary key (tags), a table
-- reached by two paths (links: through items and through areas), a link that
-- only the config declares (notes.item_id), an upward table (owners), and
-- triggers that would change a restore (items_bi stamps a date, items_ai
-- writes elsewhere, tags_ad logs deletes).
CREATE TABLE owners (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL);
CREATE TABLE projects (
  id INT PRIMARY KEY, name VARCHAR(100) NOT NULL, owner_id INT NOT NULL,
  default_area_id INT NULL, KEY (default_area_id),
  FOREIGN KEY (owner_id) REFERENCES owners (id));
CREATE TABLE areas (
  id INT PRIMARY KEY, project_id INT NOT NULL, code VARCHAR(10) NOT NULL, title VARCHAR(50),
  UNIQUE KEY areas_code (project_id, code),
  FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE);
ALTER TABLE projects ADD CONSTRAINT projects_default_area FOREIGN KEY (default_area_id) REFERENCES areas (id);
CREATE TABLE sections (
  id INT PRIMARY KEY, project_id INT NOT NULL, area_code VARCHAR(10) NOT NULL, parent_id INT NULL, title VARCHAR(50),
  FOREIGN KEY (project_id, area_code) REFERENCES areas (project_id, code) ON DELETE CASCADE,
  FOREIGN KEY (parent_id) REFERENCES sections (id) ON DELETE CASCADE);
CREATE TABLE items (
  id BIGINT UNSIGNED PRIMARY KEY, section_id INT NOT NULL, body TEXT, created DATE NULL, price DECIMAL(20,6),
  FOREIGN KEY (section_id) REFERENCES sections (id) ON DELETE CASCADE);
CREATE TABLE notes (id INT AUTO_INCREMENT PRIMARY KEY, item_id BIGINT UNSIGNED NOT NULL, note VARCHAR(100), KEY (item_id));
CREATE TABLE tags (item_id BIGINT UNSIGNED NOT NULL, tag VARCHAR(20) NOT NULL,
  FOREIGN KEY (item_id) REFERENCES items (id) ON DELETE CASCADE);
CREATE TABLE links (id INT PRIMARY KEY, item_id BIGINT UNSIGNED NULL, area_id INT NULL,
  FOREIGN KEY (item_id) REFERENCES items (id) ON DELETE CASCADE, FOREIGN KEY (area_id) REFERENCES areas (id) ON DELETE CASCADE);
CREATE TABLE log (id INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(200));
CREATE TRIGGER items_bi BEFORE INSERT ON items FOR EACH ROW SET NEW.created = '1999-12-31';
CREATE TRIGGER items_ai AFTER INSERT ON items FOR EACH ROW INSERT INTO log (msg) VALUES (CONCAT('item ', NEW.id));
CREATE TRIGGER tags_ad AFTER DELETE ON tags FOR EACH ROW BEGIN
  INSERT INTO log (msg) VALUES (CONCAT('tag gone ', OLD.tag));
END;
INSERT INTO owners VALUES (1, 'Ann'), (2, 'Bob');
INSERT INTO projects VALUES (1, 'Alpha', 1, NULL), (2, 'Beta', 2, NULL), (3, 'Gamma', 1, NULL);
INSERT INTO areas VALUES (10, 1, 'ui', 'User interface'), (11, 1, 'api', 'API'), (20, 2, 'ui', 'Beta UI'), (30, 3, 'x', 'X');
UPDATE projects SET default_area_id = 10 WHERE id = 1;
UPDATE projects SET default_area_id = 20 WHERE id = 2;
INSERT INTO sections VALUES (100, 1, 'ui', NULL, 'Top'), (101, 1, 'ui', 100, 'Child'), (102, 1, 'ui', 101, 'Grandchild'),
  (103, 1, 'api', NULL, 'API top'), (200, 2, 'ui', NULL, 'Beta top'), (201, 2, 'ui', 200, 'Beta child');
INSERT INTO items VALUES (1000, 100, 'one', NULL, '1.5'), (1001, 101, 'two', NULL, '-2.25'), (1002, 102, 'three ☃', NULL, '99999999999999.999999'),
  (1003, 103, NULL, NULL, NULL), (2000, 200, 'beta one', NULL, '3'), (2001, 201, 'beta two', NULL, '4');
UPDATE items SET created = CONCAT('2020-01-0', id % 9 + 1);
INSERT INTO notes (item_id, note) VALUES (1000, 'n1'), (1002, 'n2'), (1002, 'n3'), (2000, 'beta n');
INSERT INTO tags VALUES (1000, 'a'), (1000, 'a'), (1001, 'b'), (2000, 'c');
INSERT INTO links VALUES (1, 1000, 10), (2, NULL, 11), (3, 2000, 20), (4, 1001, NULL);

package demo

// Tables lists the demo tables, parents before children, so that creating
// or loading them in this order never breaks a foreign key.
func Tables() []string {
	return []string{"users", "languages", "projects", "areas", "sections", "strings", "translations", "string_comments"}
}

// Schema returns the DDL of the demo schema, one CREATE TABLE per entry,
// in Tables order. Statements use IF NOT EXISTS so that Seed can run them
// again after a caller created the schema itself.
//
// The containment chain projects → areas → sections → strings →
// translations is declared with ON DELETE CASCADE, as web frameworks
// usually do; string_comments.string_id is deliberately NOT a foreign key
// (ProjectsConfig declares it as a relation instead).
func Schema() []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS users (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  email VARCHAR(190) NOT NULL,
  name VARCHAR(100) NOT NULL,
  is_admin TINYINT(1) NOT NULL DEFAULT 0,
  hourly_rate DECIMAL(8,2) NULL,
  created_at DATETIME NOT NULL,
  last_login TIMESTAMP NULL DEFAULT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY users_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
		`CREATE TABLE IF NOT EXISTS languages (
  id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT,
  code VARCHAR(10) NOT NULL,
  name VARCHAR(60) NOT NULL,
  native_name VARCHAR(60) NOT NULL,
  rtl TINYINT(1) NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY languages_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
		`CREATE TABLE IF NOT EXISTS projects (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  owner_id INT UNSIGNED NOT NULL,
  name VARCHAR(120) NOT NULL,
  description TEXT NULL,
  budget DECIMAL(12,2) NULL,
  created_at DATETIME NOT NULL,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  KEY projects_owner (owner_id),
  CONSTRAINT projects_owner_fk FOREIGN KEY (owner_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
		`CREATE TABLE IF NOT EXISTS areas (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  project_id INT UNSIGNED NOT NULL,
  name VARCHAR(120) NOT NULL,
  position INT NOT NULL,
  PRIMARY KEY (id),
  KEY areas_project (project_id),
  CONSTRAINT areas_project_fk FOREIGN KEY (project_id) REFERENCES projects (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
		`CREATE TABLE IF NOT EXISTS sections (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  area_id INT UNSIGNED NOT NULL,
  parent_id INT UNSIGNED NULL,
  name VARCHAR(120) NOT NULL,
  position INT NOT NULL,
  PRIMARY KEY (id),
  KEY sections_area (area_id),
  KEY sections_parent (parent_id),
  CONSTRAINT sections_area_fk FOREIGN KEY (area_id) REFERENCES areas (id) ON DELETE CASCADE,
  CONSTRAINT sections_parent_fk FOREIGN KEY (parent_id) REFERENCES sections (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
		`CREATE TABLE IF NOT EXISTS strings (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  section_id INT UNSIGNED NOT NULL,
  skey VARCHAR(190) NOT NULL,
  source_text TEXT NOT NULL,
  max_length INT NULL,
  word_cost DECIMAL(10,4) NOT NULL,
  screenshot BLOB NULL,
  created_at DATETIME NOT NULL,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (id),
  UNIQUE KEY strings_section_key (section_id, skey),
  CONSTRAINT strings_section_fk FOREIGN KEY (section_id) REFERENCES sections (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
		`CREATE TABLE IF NOT EXISTS translations (
  string_id INT UNSIGNED NOT NULL,
  language_id SMALLINT UNSIGNED NOT NULL,
  text TEXT NOT NULL,
  status ENUM('draft','review','approved','rejected') NOT NULL DEFAULT 'draft',
  translator_id INT UNSIGNED NULL,
  quality DECIMAL(5,2) NULL,
  updated_at DATETIME NOT NULL,
  PRIMARY KEY (string_id, language_id),
  KEY translations_language (language_id),
  KEY translations_translator (translator_id),
  CONSTRAINT translations_string_fk FOREIGN KEY (string_id) REFERENCES strings (id) ON DELETE CASCADE,
  CONSTRAINT translations_language_fk FOREIGN KEY (language_id) REFERENCES languages (id),
  CONSTRAINT translations_translator_fk FOREIGN KEY (translator_id) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
		`CREATE TABLE IF NOT EXISTS string_comments (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT,
  string_id INT UNSIGNED NOT NULL,
  user_id INT UNSIGNED NULL,
  body TEXT NOT NULL,
  created_at DATETIME NOT NULL,
  PRIMARY KEY (id),
  KEY string_comments_string (string_id),
  CONSTRAINT string_comments_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
	}
}

// columns are the columns Seed fills, per table.
var columns = map[string][]string{
	"users":           {"id", "email", "name", "is_admin", "hourly_rate", "created_at", "last_login"},
	"languages":       {"id", "code", "name", "native_name", "rtl"},
	"projects":        {"id", "owner_id", "name", "description", "budget", "created_at", "updated_at"},
	"areas":           {"id", "project_id", "name", "position"},
	"sections":        {"id", "area_id", "parent_id", "name", "position"},
	"strings":         {"id", "section_id", "skey", "source_text", "max_length", "word_cost", "screenshot", "created_at", "updated_at"},
	"translations":    {"string_id", "language_id", "text", "status", "translator_id", "quality", "updated_at"},
	"string_comments": {"id", "string_id", "user_id", "body", "created_at"},
}

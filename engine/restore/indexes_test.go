package restore

import "testing"

func TestSplitIndexes(t *testing.T) {
	in := "CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `a` int(11) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  UNIQUE KEY `ua` (`a`),\n  KEY `ka` (`a`,`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
	create, alter, ok := splitIndexes([]byte(in), "t")
	wantCreate := "CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `a` int(11) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
	wantAlter := "ALTER TABLE `t` ADD UNIQUE KEY `ua` (`a`), ADD KEY `ka` (`a`,`id`)"
	if !ok || string(create) != wantCreate || alter != wantAlter {
		t.Errorf("got %v\n%s\n%s", ok, create, alter)
	}
	for _, keep := range []string{
		"CREATE TABLE `c` (\n  `id` int,\n  KEY `p` (`p`),\n  CONSTRAINT `f` FOREIGN KEY (`p`) REFERENCES `x` (`id`)\n) ENGINE=InnoDB",
		"CREATE TABLE `m` (\n  `id` int,\n  KEY `k` (`id`)\n) ENGINE=MyISAM",
		"CREATE TABLE `n` (\n  `id` int,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB",
	} {
		if _, _, ok := splitIndexes([]byte(keep), "x"); ok {
			t.Errorf("rewrote a table it must leave alone:\n%s", keep)
		}
	}
}

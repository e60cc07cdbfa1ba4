package config

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/go-sql-driver/mysql"
)

// MySQL builds the driver config for the application database. DSNs are
// never formatted by hand.
func (c *Config) MySQL() (*mysql.Config, error) {
	m := mysql.NewConfig()
	m.User = c.Database.User
	m.Passwd = c.Database.Password
	m.DBName = c.Database.Primary()
	if c.Database.Socket != "" {
		m.Net = "unix"
		m.Addr = c.Database.Socket
	} else {
		host := c.Database.Host
		if host == "" {
			host = "127.0.0.1"
		}
		port := c.Database.Port
		if port == 0 {
			port = DefaultPort
		}
		m.Net = "tcp"
		m.Addr = net.JoinHostPort(host, strconv.Itoa(port))
	}
	m.Collation = "utf8mb4_general_ci"
	m.InterpolateParams = true
	m.Timeout = 10 * time.Second
	m.ParseTime = false
	m.AllowNativePasswords = true
	return m, nil
}

// Location resolves backup.timezone.
func (c *Config) Location() (*time.Location, error) {
	tz := c.Backup.Timezone
	if tz == "" || tz == "Local" {
		return time.Local, nil
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("backup.timezone %q: %w", tz, err)
	}
	return loc, nil
}

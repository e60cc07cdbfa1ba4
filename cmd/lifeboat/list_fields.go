package main

import "github.com/lifeboat-dev/lifeboat/engine"

// sha256Of is the checksum the manifest records; "" for a foreign or
// incomplete file, which has none to trust.
func sha256Of(b engine.BackupInfo) string {
	if b.Manifest == nil {
		return ""
	}
	return b.Manifest.SHA256
}

// compressionOf is the manifest's compression, or what the name says.
func compressionOf(b engine.BackupInfo) string {
	if b.Manifest != nil && b.Manifest.Compression != "" {
		return b.Manifest.Compression
	}
	return engine.CompressionOf(b.Filename)
}

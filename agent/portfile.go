// SPDX-License-Identifier: MIT

package agent

import (
	"errors"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
)

// configDir returns the directory for the port file when Options.ConfigDir
// is empty, by the rules of gops (which the CLI applies to find us):
// $GOPS_CONFIG_DIR as is; else $XDG_CONFIG_HOME/gops; else
// $HOME/.config/gops; else the home directory of the passwd entry of the
// current user, plus /.config/gops.
func configDir() (string, error) {
	if dir := os.Getenv("GOPS_CONFIG_DIR"); dir != "" {
		return dir, nil
	}
	if dir := os.Getenv("XDG_CONFIG_HOME"); dir != "" {
		return filepath.Join(dir, "gops"), nil
	}
	if home := os.Getenv("HOME"); home != "" {
		return filepath.Join(home, ".config", "gops"), nil
	}
	if u, err := user.Current(); err == nil && u.HomeDir != "" {
		return filepath.Join(u.HomeDir, ".config", "gops"), nil
	}
	return "", errors.New("no config directory: $GOPS_CONFIG_DIR, $XDG_CONFIG_HOME and $HOME are unset and the user has no home directory")
}

// writePortFile records port in "<dir>/<pid>" and returns that path. dir is
// explicit, or configDir() when empty; it is created (0700) if missing. The
// file appears atomically, complete, with no trailing newline: it is written
// under a temporary name in the same directory and renamed into place, so a
// client never reads a partial port.
func writePortFile(dir string, port int) (string, error) {
	if dir == "" {
		var err error
		if dir, err = configDir(); err != nil {
			return "", err
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, strconv.Itoa(os.Getpid()))

	tmp, err := os.CreateTemp(dir, "."+strconv.Itoa(os.Getpid())+".tmp-*")
	if err != nil {
		return "", err
	}
	_, err = tmp.WriteString(strconv.Itoa(port))
	if err == nil {
		// Readable by others, as gops' own port files are: a port
		// number is no secret, and the CLI may run as another user.
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	return path, nil
}

// removePortFile deletes the port file written by writePortFile.
func removePortFile(path string) {
	os.Remove(path)
}

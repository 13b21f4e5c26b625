package accountgen

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// The files WriteFiles writes, as `iamscan scan DIR` reads them.
const (
	AuthorizationDetailsFile = "authorization-details.json"
	CredentialReportFile     = "credential-report.csv"
)

// WriteFiles writes the account's get-account-authorization-details output
// and credential report into dir, creating it.
func (a *Account) WriteFiles(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, write := range map[string]func(io.Writer) error{
		AuthorizationDetailsFile: a.WriteAuthorizationDetails,
		CredentialReportFile:     a.WriteCredentialReport,
	} {
		if err := writeFile(filepath.Join(dir, name), write); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := write(w); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// Cached returns the files of the account opt describes, generated once
// under cacheDir and reused afterwards: the quota account takes seconds to
// write, and benchmarks in several packages read the same one. The
// directory's name holds everything that changes the bytes (generator
// version, size, seed, number of AWS managed documents); a half-written
// directory is never taken for a finished one.
func Cached(cacheDir string, opt Options) (authz, report string, err error) {
	dir := filepath.Join(cacheDir, fmt.Sprintf("iamscan-accountgen-v%d-%s-seed%d-m%d", Version, opt.Size.Name, opt.Seed, len(opt.AWSManaged)))
	authz, report = filepath.Join(dir, AuthorizationDetailsFile), filepath.Join(dir, CredentialReportFile)
	if _, err := os.Stat(dir); err == nil {
		return authz, report, nil
	}
	tmp, err := os.MkdirTemp(cacheDir, filepath.Base(dir)+".tmp")
	if err != nil {
		return "", "", err
	}
	defer os.RemoveAll(tmp)
	if err := Generate(opt).WriteFiles(tmp); err != nil {
		return "", "", err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return "", "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		// Another process finished first: its files are as good as ours.
		if _, statErr := os.Stat(dir); statErr != nil {
			return "", "", err
		}
	}
	return authz, report, nil
}

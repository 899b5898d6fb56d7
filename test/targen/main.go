// targen writes a tar archive with Go's archive/tar, the writer Tilt and
// Skaffold use, to stdout: every entry kind the built-in tar must extract.
// With -big N it adds a file of N bytes.
package main

import (
	"archive/tar"
	"flag"
	"io"
	"os"
	"strings"
	"time"
)

type zero struct{}

func (zero) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(i * 7)
	}
	return len(p), nil
}

func main() {
	big := flag.Int64("big", 0, "size of an extra large file")
	flag.Parse()
	w := tar.NewWriter(os.Stdout)
	mt := time.Unix(1700000000, 0)
	long := strings.Repeat("long-directory-name/", 8) + strings.Repeat("f", 120)
	add := func(h *tar.Header, body string) {
		h.ModTime = mt
		h.Uid, h.Gid = 1000, 1000
		if h.Typeflag == tar.TypeReg {
			h.Size = int64(len(body))
		}
		if err := w.WriteHeader(h); err != nil {
			panic(err)
		}
		io.WriteString(w, body)
	}
	add(&tar.Header{Name: "app/", Typeflag: tar.TypeDir, Mode: 0755}, "")
	add(&tar.Header{Name: "app/main", Typeflag: tar.TypeReg, Mode: 0755}, "#!binary\n")
	add(&tar.Header{Name: "app/empty", Typeflag: tar.TypeReg, Mode: 0600}, "")
	add(&tar.Header{Name: "app/odd", Typeflag: tar.TypeReg, Mode: 0641}, "odd\n")
	add(&tar.Header{Name: "app/" + long, Typeflag: tar.TypeReg, Mode: 0644}, "long\n")
	add(&tar.Header{Name: "app/link", Typeflag: tar.TypeSymlink, Linkname: "main"}, "")
	add(&tar.Header{Name: "app/longlink", Typeflag: tar.TypeSymlink, Linkname: long}, "")
	add(&tar.Header{Name: "app/hard", Typeflag: tar.TypeLink, Linkname: "app/main"}, "")
	// A non-ASCII name makes Go write a pax header.
	add(&tar.Header{Name: "app/caf\u00e9.txt", Typeflag: tar.TypeReg, Mode: 0644}, "pax\n")
	add(&tar.Header{Name: "app/sub/deep/x.txt", Typeflag: tar.TypeReg, Mode: 0644}, "deep\n")
	if *big > 0 {
		h := &tar.Header{Name: "app/big", Typeflag: tar.TypeReg, Mode: 0644, Size: *big, ModTime: mt}
		if err := w.WriteHeader(h); err != nil {
			panic(err)
		}
		if _, err := io.CopyN(w, zero{}, *big); err != nil {
			panic(err)
		}
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
}

/* sstrip: drop what the kernel's loader never reads from a static ELF64
 * executable: the section header table and the sections past the last
 * loaded segment (.comment, .shstrtab). About 1 KB of a 40 KB budget;
 * `readelf -l` and the loader see the same file as before. */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	Elf64_Off end;
	int fd, i;

	if (argc != 2 || (fd = open(argv[1], O_RDWR)) < 0 ||
	    pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(ph)) {
		fprintf(stderr, "usage: sstrip FILE (a readable ELF64 executable)\n");
		return 2;
	}
	end = eh.e_phoff + (Elf64_Off)eh.e_phnum * sizeof(ph);
	for (i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + (Elf64_Off)i * sizeof(ph))) !=
		    sizeof(ph))
			return perror("sstrip: read"), 1;
		if (ph.p_offset + ph.p_filesz > end)
			end = ph.p_offset + ph.p_filesz;
	}
	eh.e_shoff = 0;
	eh.e_shnum = eh.e_shstrndx = eh.e_shentsize = 0;
	if (pwrite(fd, &eh, sizeof(eh), 0) != sizeof(eh) || ftruncate(fd, (off_t)end) < 0 ||
	    close(fd) < 0)
		return perror("sstrip"), 1;
	return 0;
}

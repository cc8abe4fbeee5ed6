/* first_marker FILE: main's first statement creates FILE. If a test finds
 * FILE missing, main never ran — how the shim's fail-closed tests prove the
 * program was stopped before main. Exit 0 when created, 3 when denied. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd;

	if (argc < 2)
		return 2;
	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return (errno == EACCES || errno == EPERM) ? 3 : 4;
	close(fd);
	return 0;
}

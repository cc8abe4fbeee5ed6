/* SPDX-License-Identifier: Apache-2.0 */
/* Reads or sets the kernel's audit "enabled" switch over audit netlink, so
 * the --report tests can check that sandboxec leaves it as it found it
 * and put it back themselves. `audit_state` prints 0, 1 or 2; `audit_state
 * N` sets it. Exits 77 when audit netlink is not usable here. */
#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int request(int fd, int type, unsigned enabled)
{
	struct {
		struct nlmsghdr h;
		struct audit_status st;
	} m;
	struct sockaddr_nl to = {.nl_family = AF_NETLINK};

	memset(&m, 0, sizeof(m));
	m.h.nlmsg_len = (unsigned)NLMSG_LENGTH(type == AUDIT_SET ? sizeof(m.st) : 0);
	m.h.nlmsg_type = (unsigned short)type;
	m.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	m.st.mask = AUDIT_STATUS_ENABLED;
	m.st.enabled = enabled;
	return (int)sendto(fd, &m, m.h.nlmsg_len, 0, (struct sockaddr *)&to, sizeof(to));
}

int main(int argc, char **argv)
{
	int fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT);
	char buf[8192];

	if (fd < 0 || request(fd, argc > 1 ? AUDIT_SET : AUDIT_GET,
			      argc > 1 ? (unsigned)atoi(argv[1]) : 0) < 0)
		return 77;
	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		ssize_t n;

		if (poll(&p, 1, 2000) <= 0 ||
		    (n = recv(fd, buf, sizeof(buf), 0)) < (ssize_t)sizeof(*h))
			return 77;
		if (h->nlmsg_type == NLMSG_ERROR) {
			if (((struct nlmsgerr *)NLMSG_DATA(h))->error)
				return 77;
			if (argc > 1)
				return 0;
		} else if (h->nlmsg_type == AUDIT_GET) {
			printf("%u\n", ((struct audit_status *)NLMSG_DATA(h))->enabled);
			return 0;
		}
	}
}

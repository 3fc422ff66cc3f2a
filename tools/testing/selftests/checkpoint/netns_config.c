// SPDX-License-Identifier: GPL-2.0
/*
 * The devices, addresses and routes of a network namespace saved with
 * its tasks.
 *
 * A server, the root of the tree, makes a network namespace of its own
 * and sets it up as ip(8) would: the loopback device up, a dummy device
 * and a veth pair with chosen ifindexes, MTUs and hardware addresses,
 * IPv4 addresses (one with a label, one secondary) and IPv6 ones, and
 * routes through gateways, to devices and to nowhere (blackhole,
 * unreachable), with metrics.  Its child, the client, connects to the
 * dummy device's addresses over IPv4 and IPv6 and writes a stream on
 * each that the server does not read yet.  The server describes the
 * namespace: each device with its index, flags, MTU and hardware
 * address, each address, and the routes of /proc/net/route and
 * /proc/net/ipv6_route, kernel-made ones included.
 *
 * Then the tree is checkpointed: it goes on, or it is killed and
 * restarted twice from one image.  The server describes the namespace
 * again, which must read the same, reads both streams and answers on
 * each; the client checks the answers.
 *
 * A veth whose peer is outside, in the test's namespace, as a
 * container's link to its host: restart makes the peer again in the
 * namespace of its caller, the test, with its name, hardware address,
 * MTU and up; the test gives it back its address, as a container
 * manager would, and reaches the restored server's listening socket
 * through it.  The test's connection to the server from before the
 * checkpoint, which killed the server without a word to the test, goes
 * on after the first restart; closed before the second, the restored
 * end is reset.  So does one the server had not accepted: accept(2)
 * gives it with the bytes the test wrote before the checkpoint.
 *
 * A device of a kind restart does not make again makes the checkpoint
 * fail, naming it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <linux/veth.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define REPORT_NR_OTHER		1
#define REPORT_NR_STATUS	1
#define REPORT_NR_VALUE		1

#include "../kselftest_harness.h"
#include "checkpoint_util.h"
#include "restart_util.h"

#define PORT		7100
#define STREAM		65536	/* client to server, on each connection */
#define SALT_V4		31
#define SALT_V6		37
#define SALT_ANSWER	41
#define V4_FD		110	/* the server's ends */
#define V6_FD		111
#define LISTEN_FD	112
#define DESC_MAX	6144

/* ------------------------------------------------------------------ */
/* rtnetlink, as ip(8) speaks it                                       */

struct nlreq {
	struct nlmsghdr n;
	char buf[1024];
};

static void nl_init(struct nlreq *r, int type, int flags, const void *hdr,
		    int len)
{
	memset(r, 0, sizeof(*r));
	r->n.nlmsg_len = NLMSG_LENGTH(len);
	r->n.nlmsg_type = type;
	r->n.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	memcpy(NLMSG_DATA(&r->n), hdr, len);
}

static struct rtattr *nl_put(struct nlreq *r, int type, const void *data,
			     int len)
{
	struct rtattr *rta = (void *)&r->n + NLMSG_ALIGN(r->n.nlmsg_len);

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	r->n.nlmsg_len = NLMSG_ALIGN(r->n.nlmsg_len) + RTA_ALIGN(rta->rta_len);
	return rta;
}

static void nl_put_str(struct nlreq *r, int type, const char *s)
{
	nl_put(r, type, s, strlen(s) + 1);
}

static void nl_put_u32(struct nlreq *r, int type, __u32 v)
{
	nl_put(r, type, &v, sizeof(v));
}

static void nl_end(struct nlreq *r, struct rtattr *nest)
{
	nest->rta_len = (void *)&r->n + r->n.nlmsg_len - (void *)nest;
}

/* Send @r, read its answer: 0 or -errno. */
static int nl_talk(struct nlreq *r)
{
	char buf[4096];
	struct nlmsghdr *n;
	int fd, len, err = -EPROTO;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (send(fd, r, r->n.nlmsg_len, 0) != (ssize_t)r->n.nlmsg_len) {
		err = -errno;
		goto out;
	}
	len = recv(fd, buf, sizeof(buf), 0);
	n = (void *)buf;
	if (len > 0 && NLMSG_OK(n, (unsigned int)len) &&
	    n->nlmsg_type == NLMSG_ERROR)
		err = ((struct nlmsgerr *)NLMSG_DATA(n))->error;
out:
	close(fd);
	return err;
}

static void mac_of(unsigned char *mac, int n)
{
	static const unsigned char base[6] = { 0x02, 0, 0, 0, 0x07, 0 };

	memcpy(mac, base, 6);
	mac[5] = n;
}

/*
 * Make device @name of @kind at @ifindex with @mtu and a hardware address
 * chosen by @n, and for a veth its peer @peer at @peer_ifindex (0: any),
 * in the namespace of @peer_nsfd if not -1.
 */
static int link_add(const char *name, const char *kind, int ifindex, int mtu,
		    int n, const char *peer, int peer_ifindex, int peer_nsfd)
{
	struct ifinfomsg ifm = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = ifindex,
		.ifi_flags = IFF_UP,
		.ifi_change = IFF_UP,
	};
	struct rtattr *info, *data, *p;
	unsigned char mac[6];
	struct nlreq r;

	nl_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifm, sizeof(ifm));
	nl_put_str(&r, IFLA_IFNAME, name);
	nl_put_u32(&r, IFLA_MTU, mtu);
	mac_of(mac, n);
	nl_put(&r, IFLA_ADDRESS, mac, 6);
	info = nl_put(&r, IFLA_LINKINFO, NULL, 0);
	nl_put_str(&r, IFLA_INFO_KIND, kind);
	if (peer) {
		data = nl_put(&r, IFLA_INFO_DATA, NULL, 0);
		/* Down: veth_open() wants the pair made first. */
		ifm.ifi_index = peer_ifindex;
		ifm.ifi_flags = 0;
		ifm.ifi_change = 0;
		p = nl_put(&r, VETH_INFO_PEER, &ifm, sizeof(ifm));
		nl_put_str(&r, IFLA_IFNAME, peer);
		nl_put_u32(&r, IFLA_MTU, mtu);
		mac_of(mac, n + 1);
		nl_put(&r, IFLA_ADDRESS, mac, 6);
		if (peer_nsfd >= 0)
			nl_put_u32(&r, IFLA_NET_NS_FD, peer_nsfd);
		nl_end(&r, p);
		nl_end(&r, data);
	}
	nl_end(&r, info);
	return nl_talk(&r);
}

static int link_up(const char *name)
{
	struct ifinfomsg ifm = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = if_nametoindex(name),
		.ifi_flags = IFF_UP,
		.ifi_change = IFF_UP,
	};
	struct nlreq r;

	if (!ifm.ifi_index)
		return -ENODEV;
	nl_init(&r, RTM_NEWLINK, 0, &ifm, sizeof(ifm));
	return nl_talk(&r);
}

static int addr_add(const char *dev, const char *addr, int plen,
		    const char *label)
{
	struct ifaddrmsg ifa = {
		.ifa_prefixlen = plen,
		.ifa_index = if_nametoindex(dev),
	};
	unsigned char a[16];
	struct nlreq r;
	int alen;

	ifa.ifa_family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	alen = ifa.ifa_family == AF_INET ? 4 : 16;
	if (!ifa.ifa_index || inet_pton(ifa.ifa_family, addr, a) != 1)
		return -EINVAL;
	nl_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof(ifa));
	nl_put(&r, IFA_LOCAL, a, alen);
	nl_put(&r, IFA_ADDRESS, a, alen);
	if (ifa.ifa_family == AF_INET6)
		nl_put_u32(&r, IFA_FLAGS, IFA_F_NODAD);
	if (label)
		nl_put_str(&r, IFA_LABEL, label);
	return nl_talk(&r);
}

/* A route to @dst/@plen of @type, through @gw (or NULL) and @dev (or NULL). */
static int route_add(const char *dst, int plen, int type, const char *gw,
		     const char *dev, int metric)
{
	struct rtmsg rtm = {
		.rtm_dst_len = plen,
		.rtm_table = RT_TABLE_MAIN,
		.rtm_protocol = RTPROT_BOOT,
		.rtm_scope = RT_SCOPE_UNIVERSE,
		.rtm_type = type,
	};
	unsigned char a[16];
	struct nlreq r;
	int alen;

	rtm.rtm_family = strchr(dst, ':') ? AF_INET6 : AF_INET;
	alen = rtm.rtm_family == AF_INET ? 4 : 16;
	nl_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &rtm, sizeof(rtm));
	if (inet_pton(rtm.rtm_family, dst, a) != 1)
		return -EINVAL;
	nl_put(&r, RTA_DST, a, alen);
	if (gw) {
		if (inet_pton(rtm.rtm_family, gw, a) != 1)
			return -EINVAL;
		nl_put(&r, RTA_GATEWAY, a, alen);
	}
	if (dev)
		nl_put_u32(&r, RTA_OIF, if_nametoindex(dev));
	if (metric)
		nl_put_u32(&r, RTA_PRIORITY, metric);
	return nl_talk(&r);
}

/* ------------------------------------------------------------------ */
/* What the namespace looks like                                       */

#define IFF_SAVED	(IFF_UP | IFF_NOARP | IFF_MULTICAST | IFF_LOOPBACK | \
			 IFF_PROMISC | IFF_ALLMULTI)

/* The address of @sa, as text in @buf of INET6_ADDRSTRLEN bytes. */
static void ntop(const struct sockaddr *sa, char *buf)
{
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)sa)->sin_addr, buf,
			  INET6_ADDRSTRLEN);
	else
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)sa)->sin6_addr,
			  buf, INET6_ADDRSTRLEN);
}

static int prefix_of(const struct sockaddr *mask)
{
	const unsigned char *p;
	int i, n = 0, len;

	if (!mask)
		return -1;
	if (mask->sa_family == AF_INET) {
		p = (void *)&((struct sockaddr_in *)mask)->sin_addr;
		len = 4;
	} else {
		p = (void *)&((struct sockaddr_in6 *)mask)->sin6_addr;
		len = 16;
	}
	for (i = 0; i < len; i++)
		n += __builtin_popcount(p[i]);
	return n;
}

/* Append the lines of @path, its columns @cols (a mask) only. */
static void put_file(char **p, char *end, const char *path, unsigned int cols)
{
	char line[512], *tok, *save;
	FILE *f = fopen(path, "r");
	int col;

	if (!f) {
		*p += snprintf(*p, end - *p, "%s: %s\n", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f) && *p < end) {
		for (col = 0, tok = strtok_r(line, " \t\n", &save); tok;
		     col++, tok = strtok_r(NULL, " \t\n", &save))
			if (cols & (1u << col))
				*p += snprintf(*p, end - *p, "%s ", tok);
		*p += snprintf(*p, end - *p, "\n");
	}
	fclose(f);
}

/*
 * Whether IPv6 has settled: every device up with a carrier has its
 * link-local address, which the kernel adds some time after the carrier
 * comes, and no address is tentative, whose routes come after.
 */
static bool ipv6_settled(void)
{
	struct ifaddrs *ifa, *it;
	char line[256], name[IFNAMSIZ + 1], have[2048] = " ";
	unsigned int flags;
	bool settled = true;
	FILE *f;

	f = fopen("/proc/net/if_inet6", "r");
	if (!f)
		return true;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*x %*x %*x %x %16s", &flags, name) != 2)
			continue;
		if (flags & IFA_F_TENTATIVE)
			settled = false;
		if (!strncmp(line, "fe80", 4) &&
		    strlen(have) + strlen(name) + 2 < sizeof(have)) {
			strcat(have, name);
			strcat(have, " ");
		}
	}
	fclose(f);
	if (!settled || getifaddrs(&ifa))
		return false;
	for (it = ifa; it; it = it->ifa_next) {
		if (!it->ifa_addr || it->ifa_addr->sa_family != AF_PACKET ||
		    (it->ifa_flags & (IFF_UP | IFF_RUNNING | IFF_LOOPBACK)) !=
		    (IFF_UP | IFF_RUNNING))
			continue;
		snprintf(name, sizeof(name), " %s ", it->ifa_name);
		if (!strstr(have, name))
			settled = false;
	}
	freeifaddrs(ifa);
	return settled;
}

static void settle_ipv6(void)
{
	int i;

	for (i = 0; i < WAIT_SECS * 10 && !ipv6_settled(); i++)
		usleep(100000);
}

/*
 * Devices with their index, flags, MTU and hardware address; addresses
 * with their prefix; the IPv4 main table (device, destination, gateway,
 * flags, metric, mask) and every IPv6 route (destination, length, next
 * hop, metric, flags, device), which counters aside is all they show.
 */
static void describe(char *buf, size_t size)
{
	char *p = buf, *end = buf + size, host[INET6_ADDRSTRLEN];
	struct ifaddrs *ifa, *it;
	struct ifreq ifr;
	int fd;

	settle_ipv6();
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (getifaddrs(&ifa) || fd < 0) {
		snprintf(buf, size, "getifaddrs: %s", strerror(errno));
		return;
	}
	for (it = ifa; it && p < end; it = it->ifa_next) {
		if (!it->ifa_addr)
			continue;
		if (it->ifa_addr->sa_family == AF_PACKET) {
			const unsigned char *mac;

			memset(&ifr, 0, sizeof(ifr));
			snprintf(ifr.ifr_name, IFNAMSIZ, "%s", it->ifa_name);
			ioctl(fd, SIOCGIFMTU, &ifr);
			p += snprintf(p, end - p, "dev %s index %u flags %#x mtu %d",
				      it->ifa_name, if_nametoindex(it->ifa_name),
				      it->ifa_flags & IFF_SAVED, ifr.ifr_mtu);
			ioctl(fd, SIOCGIFHWADDR, &ifr);
			mac = (unsigned char *)ifr.ifr_hwaddr.sa_data;
			p += snprintf(p, end - p, " mac %02x:%02x:%02x:%02x:%02x:%02x\n",
				      mac[0], mac[1], mac[2], mac[3], mac[4],
				      mac[5]);
			continue;
		}
		if (it->ifa_addr->sa_family != AF_INET &&
		    it->ifa_addr->sa_family != AF_INET6)
			continue;
		ntop(it->ifa_addr, host);
		p += snprintf(p, end - p, "addr %s %s/%d\n", it->ifa_name, host,
			      prefix_of(it->ifa_netmask));
	}
	freeifaddrs(ifa);
	close(fd);
	put_file(&p, end, "/proc/net/route", 0x1 | 0x2 | 0x4 | 0x8 | 0x40 | 0x80);
	put_file(&p, end, "/proc/net/ipv6_route", 0x1 | 0x2 | 0x10 | 0x20 | 0x100 | 0x200);
}

/* describe() in the network namespace of @pid, from a child that joins it. */
static int describe_in(pid_t pid, char *buf, size_t size)
{
	char path[64];
	size_t got = 0;
	int p[2], fd;
	ssize_t n;
	pid_t c;

	if (pipe(p))
		return -1;
	c = fork();
	if (!c) {
		snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
		fd = open(path, O_RDONLY);
		if (fd < 0 || setns(fd, CLONE_NEWNET))
			_exit(1);
		describe(buf, size);
		_exit(write(p[1], buf, strlen(buf) + 1) > 0 ? 0 : 2);
	}
	close(p[1]);
	while (got < size && (n = read(p[0], buf + got, size - got)) > 0)
		got += n;
	close(p[0]);
	if (c < 0 || waitpid(c, NULL, 0) != c || !got || buf[got - 1])
		return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Devices, addresses and routes of a namespace of its own             */

/* The first step that failed, by its line, and its error. */
struct failure {
	int err, line, error;
};

static void fail_at(struct failure *f, int line, int error)
{
	if (!f->err) {
		f->err = STEP_SETUP;
		f->line = line;
		f->error = error < 0 ? -error : errno;
	}
}

#define FAIL(r) fail_at(&(r)->f, __LINE__, 0)

struct netns_report {
	struct failure f;
	int got4, got6;		/* bytes of each stream read */
	int client_status;
	int port4, port6;	/* the server's ends' local ports */
	char local4[INET6_ADDRSTRLEN], local6[INET6_ADDRSTRLEN];
	char before[DESC_MAX];	/* the namespace, as checkpointed */
	char after[DESC_MAX];	/* as the server found it at the end */
};

/* Each step as ip(8) would take it; the first that fails, with its error. */
static void netns_set_up(struct failure *f)
{
	int err = link_up("lo") ?:
		  link_add("dummy0", "dummy", 5, 1400, 1, NULL, 0, -1) ?:
		  link_add("vin0", "veth", 7, 9000, 2, "vin1", 9, -1) ?:
		  link_up("vin1");

	if (err) {
		fail_at(f, __LINE__, err);
		return;
	}
	err = addr_add("dummy0", "10.7.0.1", 24, "dummy0") ?:
	      addr_add("dummy0", "10.7.0.77", 24, "dummy0:sec") ?:
	      addr_add("dummy0", "fd00:7::1", 64, NULL) ?:
	      addr_add("vin0", "10.8.0.1", 24, NULL) ?:
	      addr_add("vin1", "10.8.1.1", 24, NULL) ?:
	      addr_add("vin0", "fd00:8::1", 64, NULL);
	if (err) {
		fail_at(f, __LINE__, err);
		return;
	}
	err = route_add("10.9.0.0", 16, RTN_UNICAST, "10.7.0.2", "dummy0", 50) ?:
	      route_add("10.66.0.0", 16, RTN_BLACKHOLE, NULL, NULL, 0) ?:
	      route_add("0.0.0.0", 0, RTN_UNICAST, "10.8.0.9", "vin0", 0) ?:
	      route_add("fd00:9::", 48, RTN_UNICAST, "fd00:7::2", "dummy0", 300) ?:
	      route_add("fd00:66::", 48, RTN_UNREACHABLE, NULL, NULL, 0);
	if (err)
		fail_at(f, __LINE__, err);
}

/* @addr, IPv4 or IPv6 text, and @port in @ss; its length, or 0. */
static socklen_t sockaddr_of(const char *addr, int port,
			     struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *sin6 = (void *)ss;
	struct sockaddr_in *sin = (void *)ss;

	memset(ss, 0, sizeof(*ss));
	if (strchr(addr, ':')) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		return inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1 ?
		       sizeof(*sin6) : 0;
	}
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	return inet_pton(AF_INET, addr, &sin->sin_addr) == 1 ? sizeof(*sin) : 0;
}

static int connect_to(const char *addr, int port)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(addr, port, &ss);
	int fd = socket(ss.ss_family, SOCK_STREAM, 0);

	if (!len || fd < 0 || connect(fd, (void *)&ss, len))
		return -1;
	return fd;
}

static int listen_on(const char *addr, int port)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(addr, port, &ss);
	int fd = socket(ss.ss_family, SOCK_STREAM, 0), one = 1;

	if (!len || fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (void *)&ss, len) || listen(fd, 4))
		return -1;
	return fd;
}

/* The client: a stream to each address, then the answers. */
static void __noreturn client(void)
{
	int fd4, fd6, got;

	fd4 = connect_to("10.7.0.1", PORT);
	fd6 = connect_to("fd00:7::1", PORT);
	if (fd4 < 0 || fd6 < 0)
		_exit(10);
	for (got = 0; got < STREAM; got += DATA_MAX)
		if (put_data(fd4, SALT_V4, got, DATA_MAX) ||
		    put_data(fd6, SALT_V6, got, DATA_MAX))
			_exit(11);
	if (shutdown(fd4, SHUT_WR) || shutdown(fd6, SHUT_WR))
		_exit(12);
	if (take_data(fd4, SALT_ANSWER, STREAM, NULL, NULL) ||
	    take_data(fd6, SALT_ANSWER, STREAM, NULL, NULL))
		_exit(13);
	_exit(0);
}

static pid_t client_pid;

static void local_of(int fd, char *buf, int *port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	buf[0] = 0;
	if (getsockname(fd, (void *)&ss, &len))
		return;
	ntop((void *)&ss, buf);
	*port = ntohs(ss.ss_family == AF_INET ?
		      ((struct sockaddr_in *)&ss)->sin_port :
		      ((struct sockaddr_in6 *)&ss)->sin6_port);
}

static void answer(struct netns_report *r, int fd, int salt, int *got)
{
	int i;

	if (take_data(fd, salt, STREAM, got, NULL))
		FAIL(r);
	for (i = 0; i < STREAM; i += DATA_MAX)
		if (put_data(fd, SALT_ANSWER, i, DATA_MAX))
			FAIL(r);
	close(fd);
}

static void server_finish(void *report)
{
	struct netns_report *r = report;

	describe(r->after, sizeof(r->after));
	local_of(V4_FD, r->local4, &r->port4);
	local_of(V6_FD, r->local6, &r->port6);
	answer(r, V4_FD, SALT_V4, &r->got4);
	answer(r, V6_FD, SALT_V6, &r->got6);
	if (waitpid(client_pid, &r->client_status, 0) != client_pid)
		FAIL(r);
}

static void __noreturn server(void)
{
	static struct netns_report r;
	int lfd4, lfd6, i, q4 = 0, q6 = 0;

	if (unshare(CLONE_NEWNET))
		FAIL(&r);
	netns_set_up(&r.f);
	lfd4 = listen_on("10.7.0.1", PORT);
	lfd6 = listen_on("fd00:7::1", PORT);
	if (lfd4 < 0 || lfd6 < 0)
		FAIL(&r);
	client_pid = fork();
	if (!client_pid)
		client();
	if (client_pid < 0 || fd_at(accept(lfd4, NULL, NULL), V4_FD) ||
	    fd_at(accept(lfd6, NULL, NULL), V6_FD))
		FAIL(&r);
	close(lfd4);
	close(lfd6);
	/* Wait for the streams to be there, unread. */
	for (i = 0; i < WAIT_SECS * 10; i++) {
		if (ioctl(V4_FD, FIONREAD, &q4) || ioctl(V6_FD, FIONREAD, &q6) ||
		    (q4 == STREAM && q6 == STREAM))
			break;
		usleep(100000);
	}
	if (q4 != STREAM || q6 != STREAM)
		FAIL(&r);
	describe(r.before, sizeof(r.before));
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), server_finish);
}

static void check_server(struct __test_metadata *_metadata, int ctl, int res)
{
	static struct netns_report r;

	ASSERT_EQ(1, write(ctl, "g", 1));
	ASSERT_EQ(0, read_timed(res, &r, sizeof(r)));
	EXPECT_EQ(0, r.f.err)
		TH_LOG("server failed at line %d: %s", r.f.line,
		       strerror(r.f.error));
	EXPECT_STREQ(r.before, r.after);
	EXPECT_STREQ("10.7.0.1", r.local4);
	EXPECT_STREQ("fd00:7::1", r.local6);
	EXPECT_EQ(PORT, r.port4);
	EXPECT_EQ(PORT, r.port6);
	EXPECT_EQ(STREAM, r.got4);
	EXPECT_EQ(STREAM, r.got6);
	EXPECT_TRUE(WIFEXITED(r.client_status) &&
		    !WEXITSTATUS(r.client_status))
		TH_LOG("client status %#x", r.client_status);
}

FIXTURE(netns) {
	struct piped_child pc;
	struct netns_report first;
};

FIXTURE_SETUP(netns)
{
	const struct ckpt_netdev *d;
	struct ckpt_hdr_namespaces *ns;
	struct ckpt_hdr_net *h;
	long ret;

	if (geteuid())
		SKIP(return, "a network namespace needs root");
	catch_alarm();
	ASSERT_LT(0, piped_child_fork(&self->pc, CTL_FD, RES_FD, server));
	ASSERT_EQ(0, read_timed(self->pc.res, &self->first,
				sizeof(self->first)));
	ASSERT_EQ(0, self->first.f.err)
		TH_LOG("server set-up failed at line %d: %s",
		       self->first.f.line, strerror(self->first.f.error));
	TH_LOG("the namespace:\n%s", self->first.before);

	ret = checkpoint_image(self->pc.pid, CHECKPOINT_SCOPE_TREE, &self->pc.img,
			       self->pc.log, sizeof(self->pc.log));
	ASSERT_LT(0, ret) TH_LOG("checkpoint: %s\n%s", strerror(-ret),
				 self->pc.log);
	ns = image_rec(&self->pc.img, CKPT_HDR_NAMESPACES, 0);
	ASSERT_NE(NULL, ns);
	EXPECT_TRUE(ns->flags & CKPT_NS_NET);
	EXPECT_EQ(CKPT_NET_CONFIG, ns->net);
	h = image_rec(&self->pc.img, CKPT_HDR_NET, 0);
	ASSERT_NE(NULL, h);
	/* lo, dummy0, vin0 and vin1: the fallback devices are left out. */
	ASSERT_EQ(4, h->nr_devs);
	d = (const void *)(h + 1);
	EXPECT_EQ(1, d[0].ifindex);
	EXPECT_EQ(CKPT_NETDEV_LOOPBACK, d[0].kind);
	/* The routes added, not those the kernel made. */
	EXPECT_EQ(5, h->nr_routes);
	/* Both ends of each connection. */
	EXPECT_EQ(4, image_count(&self->pc.img, CKPT_HDR_TCP));
	ASSERT_EQ(0, validate_image(&self->pc.img, self->pc.log,
				    sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
}

FIXTURE_TEARDOWN(netns)
{
	piped_child_end(&self->pc);
}

/* The tree goes on as if nothing happened. */
TEST_F(netns, continues)
{
	piped_child_finish(_metadata, &self->pc, check_server);
}

/* Killed, and restarted twice from the image. */
TEST_F(netns, restarted)
{
	struct piped_check c = { _metadata, check_server };
	long ret;

	image_free(&self->pc.img);
	ret = kill_and_restart_rounds(&self->pc, CHECKPOINT_SCOPE_TREE, 2,
				      piped_check_restored, &c);
	ASSERT_LT(0, ret) TH_LOG("%s\n%s", strerror(-ret), self->pc.log);
}

/* ------------------------------------------------------------------ */
/* A veth to the outside                                               */

#define OUT_PORT	7200
#define OLD_FD		113	/* the server's end of the test's connection */

struct out_report {
	struct failure f;
	int old;		/* bytes of the answer on OLD_FD, or -errno */
	char answer[8];		/* the test's, there */
	int waited;		/* bytes read on the connection not accepted */
	char wait[8];		/* what the test wrote on it */
	char echo[8];
	char after[DESC_MAX];	/* the namespace, restored */
};

/* The namespace as checkpointed, its link up: by the test. */
static char out_before[DESC_MAX];

static void out_finish(void *report)
{
	struct out_report *r = report;
	int fd;

	describe(r->after, sizeof(r->after));
	/*
	 * The connection from before, and the answer, if the test kept it;
	 * else the reset, which comes as it writes or as it reads.
	 */
	if (write(OLD_FD, "ping", 4) == 4)
		r->old = read(OLD_FD, r->answer, 4);
	else
		r->old = -1;
	if (r->old < 0)
		r->old = -errno;
	/*
	 * The test's connection that waited to be accepted, what it wrote
	 * before the checkpoint, and the same back; then a new one.
	 */
	fd = accept(LISTEN_FD, NULL, NULL);
	r->waited = fd < 0 ? -errno : read(fd, r->wait, 4);
	if (r->waited < 0)
		r->waited = -errno;
	if (r->waited == 4)
		send(fd, r->wait, 4, MSG_NOSIGNAL);
	close(fd);
	fd = accept(LISTEN_FD, NULL, NULL);
	if (fd < 0 || read(fd, r->echo, 4) != 4 || write(fd, r->echo, 4) != 4)
		FAIL(r);
	close(fd);
}

static void __noreturn out_server(void)
{
	static struct out_report r;
	int nsfd = open("/proc/self/ns/net", O_RDONLY);

	if (nsfd < 0 || unshare(CLONE_NEWNET) || link_up("lo") ||
	    link_add("ckin0", "veth", 0, 1450, 0x10, "ckout0", 0, nsfd) ||
	    addr_add("ckin0", "10.10.0.2", 24, NULL) ||
	    fd_at(listen_on("10.10.0.2", OUT_PORT), LISTEN_FD))
		FAIL(&r);
	close(nsfd);
	/* Ready for the test's connection, through the veth. */
	if (write(RES_FD, "r", 1) != 1 ||
	    fd_at(accept(LISTEN_FD, NULL, NULL), OLD_FD))
		FAIL(&r);
	piped_child_serve(CTL_FD, RES_FD, &r, sizeof(r), out_finish);
}

/* The peer in the test's namespace, up, as it was; or gone. */
static bool peer_is_back(struct __test_metadata *_metadata, bool back)
{
	struct ifreq ifr = { .ifr_name = "ckout0" };
	unsigned char want[6];
	int fd, i;

	for (i = 0; i < WAIT_SECS * 10 && !back; i++) {
		if (!if_nametoindex("ckout0"))
			return true;
		usleep(100000);
	}
	if (!back)
		return false;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	EXPECT_EQ(0, ioctl(fd, SIOCGIFFLAGS, &ifr));
	EXPECT_TRUE(ifr.ifr_flags & IFF_UP);
	EXPECT_EQ(0, ioctl(fd, SIOCGIFMTU, &ifr));
	EXPECT_EQ(1450, ifr.ifr_mtu);
	EXPECT_EQ(0, ioctl(fd, SIOCGIFHWADDR, &ifr));
	mac_of(want, 0x11);
	EXPECT_EQ(0, memcmp(want, ifr.ifr_hwaddr.sa_data, 6));
	close(fd);
	return true;
}

/*
 * The test's ends of its connections to the server, kept over round 0
 * only: one accepted, one waiting to be.
 */
static int out_old = -1, out_wait = -1;

static void out_check(struct restart_round *rr, void *arg)
{
	struct __test_metadata *_metadata = arg;
	struct linger abort = { .l_onoff = 1, .l_linger = 0 };
	struct out_report r;
	char echo[4] = "ping", old[4];
	int fd, status;

	ASSERT_TRUE(peer_is_back(_metadata, true));
	/* Its address, as whoever made the container gives it. */
	ASSERT_EQ(0, addr_add("ckout0", "10.10.0.1", 24, NULL));
	ASSERT_EQ(1, write(rr->ctl, "g", 1));
	/* The connection goes on, not a word of the kill having reached it. */
	if (!rr->round) {
		ASSERT_EQ(4, read(out_old, old, 4));
		EXPECT_EQ(0, memcmp(old, "ping", 4));
		ASSERT_EQ(4, write(out_old, "pong", 4));
		ASSERT_EQ(4, read(out_wait, old, 4));
		EXPECT_EQ(0, memcmp(old, "wait", 4));
	}
	fd = connect_to("10.10.0.2", OUT_PORT);
	ASSERT_LE(0, fd);
	ASSERT_EQ(4, write(fd, echo, 4));
	ASSERT_EQ(4, read(fd, echo, 4));
	EXPECT_EQ(0, memcmp(echo, "ping", 4));
	close(fd);
	ASSERT_EQ(0, read_timed(rr->res, &r, sizeof(r)));
	EXPECT_EQ(0, r.f.err)
		TH_LOG("server failed at line %d: %s", r.f.line,
		       strerror(r.f.error));
	EXPECT_STREQ(out_before, r.after);
	/* In round 1 the test's end is gone: the restored one is reset. */
	EXPECT_EQ(rr->round ? -ECONNRESET : 4, r.old);
	if (!rr->round)
		EXPECT_EQ(0, memcmp(r.answer, "pong", 4));
	/* Its bytes were there to read, in round 1 too, before the reset. */
	EXPECT_EQ(4, r.waited);
	EXPECT_EQ(0, memcmp(r.wait, "wait", 4));
	if (out_old >= 0) {
		/* Reset, so that nothing of them lingers in TIME_WAIT. */
		setsockopt(out_old, SOL_SOCKET, SO_LINGER, &abort,
			   sizeof(abort));
		setsockopt(out_wait, SOL_SOCKET, SO_LINGER, &abort,
			   sizeof(abort));
		close(out_old);
		close(out_wait);
		out_old = -1;
		out_wait = -1;
	}
	ASSERT_EQ(rr->root, waitpid(rr->root, &status, 0));
	EXPECT_EQ(0, status);
	/* Its namespace gone, the peer goes: the next round makes it. */
	EXPECT_TRUE(peer_is_back(_metadata, false));
}

TEST(veth_outside)
{
	struct out_report first;
	struct piped_child pc;
	long ret;
	char c;

	if (geteuid())
		SKIP(return, "a network namespace needs root");
	catch_alarm();
	ASSERT_LT(0, piped_child_fork(&pc, CTL_FD, RES_FD, out_server));
	ASSERT_EQ(0, read_timed(pc.res, &c, 1));
	ASSERT_EQ(0, link_up("ckout0"));
	ASSERT_EQ(0, addr_add("ckout0", "10.10.0.1", 24, NULL));
	out_old = connect_to("10.10.0.2", OUT_PORT);
	ASSERT_LE(0, out_old);
	ASSERT_EQ(0, read_timed(pc.res, &first, sizeof(first)));
	ASSERT_EQ(0, first.f.err) TH_LOG("server set-up failed at line %d: %s",
					 first.f.line, strerror(first.f.error));
	/* One more, that the server does not accept. */
	out_wait = connect_to("10.10.0.2", OUT_PORT);
	ASSERT_LE(0, out_wait);
	ASSERT_EQ(4, write(out_wait, "wait", 4));
	ASSERT_EQ(0, describe_in(pc.pid, out_before, sizeof(out_before)));
	TH_LOG("the namespace:\n%s", out_before);

	ret = checkpoint_image(pc.pid, CHECKPOINT_SCOPE_TREE | CHECKPOINT_KILL,
			       &pc.img, pc.log, sizeof(pc.log));
	ASSERT_LT(0, ret) TH_LOG("checkpoint: %s\n%s", strerror(-ret), pc.log);
	ASSERT_EQ(pc.pid, waitpid(pc.pid, NULL, 0));
	pc.pid = -1;
	close(pc.ctl);
	close(pc.res);
	EXPECT_TRUE(peer_is_back(_metadata, false));
	ret = restart_rounds(&pc.img, 2, pc.ctl_fd, pc.res_fd, pc.log,
			     sizeof(pc.log), &pc.pid, out_check, _metadata);
	EXPECT_LT(0, ret) TH_LOG("%s\n%s", strerror(-ret), pc.log);
	piped_child_end(&pc);
}

/* A device restart does not make again: a tunnel, here sit0 put to use. */
static void __noreturn tunnelled(void)
{
	char c;

	if (unshare(CLONE_NEWNET) || link_up("sit0"))
		_exit(1);
	if (write(RES_FD, "r", 1) != 1 || read(CTL_FD, &c, 1) != 1)
		_exit(2);
	_exit(0);
}

TEST(other_device_refused)
{
	struct piped_child pc;
	char c;
	long ret;

	if (geteuid())
		SKIP(return, "a network namespace needs root");
	catch_alarm();
	ASSERT_LT(0, piped_child_fork(&pc, CTL_FD, RES_FD, tunnelled));
	if (read_timed(pc.res, &c, 1)) {
		piped_child_end(&pc);
		SKIP(return, "no sit0 (CONFIG_IPV6_SIT)");
	}
	ret = checkpoint_image(pc.pid, CHECKPOINT_SCOPE_TREE, &pc.img, pc.log,
			       sizeof(pc.log));
	EXPECT_EQ(-EOPNOTSUPP, ret);
	EXPECT_NE(NULL, strstr(pc.log, "device sit0 (sit)")) TH_LOG("%s", pc.log);
	EXPECT_EQ(1, write(pc.ctl, "g", 1));
	piped_child_end(&pc);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the network namespace of a container.
 *
 * A network namespace that the tasks have of their own is saved with
 * them (CKPT_HDR_NET): its devices, the IPv4 and IPv6 addresses of each,
 * and the routes of its main tables that a user added.  The devices may
 * be the loopback device, dummy devices and veth pairs, whose peer is in
 * the namespace too or outside it: a container's link to its host.  The
 * tunnel drivers' fallback devices (sit0, tunl0, ...), which every new
 * namespace gets, are left out while they are down and unused.  Any
 * other device makes the checkpoint fail, naming it.
 *
 * Devices and addresses are read under the RTNL lock; routes through an
 * rtnetlink dump, as "ip route" reads them.  Routes the kernel makes
 * itself, for an address or a device going up, and routes it learnt
 * (router advertisements) are left out: they come back with what made
 * them.
 *
 * Restart makes it all again through an rtnetlink socket of the new
 * namespace, opened by the restarting task: each step is a request that
 * ip(8) could send, checked by rtnetlink as one from user space is, with
 * the rights of that task.  Devices come first, each with its ifindex,
 * flags, MTU and hardware address, then addresses, then routes.  The
 * peer of a veth that was outside is made again in the network namespace
 * of the caller of restart(2), which needs CAP_NET_ADMIN there: joining
 * it to a bridge, or whatever linked it to the host, is the caller's job,
 * as when it made the container.
 */

#include <linux/checkpoint.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/if_addr.h>
#include <linux/inet.h>
#include <linux/inetdevice.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/veth.h>
#include <net/addrconf.h>
#include <net/if_inet6.h>
#include <net/net_namespace.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>

/* ---------------------------------------------------------------- */
/* rtnetlink, as a task of user space speaks it                      */

#define CKPT_RTNL_BUF	(32 * 1024)

struct ckpt_rtnl {
	struct socket *sock;
	struct file *file;	/* the socket's, with the opener's credentials */
	u32 seq;
	void *buf;
};

/* Open an rtnetlink socket of @net as the current task would. */
static int ckpt_rtnl_open(struct ckpt_rtnl *r, struct net *net)
{
	int err;

	r->seq = 0;
	r->buf = kvmalloc(CKPT_RTNL_BUF, GFP_KERNEL);
	if (!r->buf)
		return -ENOMEM;
	err = __sock_create(net, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE,
			    &r->sock, 0);
	if (err)
		goto out;
	/* rtnetlink checks the rights of the file's opener. */
	r->file = sock_alloc_file(r->sock, 0, NULL);
	if (!IS_ERR(r->file))
		return 0;
	err = PTR_ERR(r->file);
out:
	kvfree(r->buf);
	return err;
}

static void ckpt_rtnl_close(struct ckpt_rtnl *r)
{
	fput(r->file);
	kvfree(r->buf);
}

/*
 * Send the request in @skb and read its answer.  A dump (@fn set) hands
 * each message of it to @fn.
 *
 * Return: 0, or the error the request ended with, or that of @fn.
 */
static int ckpt_rtnl_talk(struct ckpt_rtnl *r, struct sk_buff *skb,
			  int (*fn)(void *arg, const struct nlmsghdr *nlh),
			  void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(skb);
	u32 seq = ++r->seq;
	struct msghdr msg = {};
	struct kvec vec;
	int len, rem, err;

	nlh->nlmsg_seq = seq;
	nlh->nlmsg_flags |= NLM_F_REQUEST | (fn ? NLM_F_DUMP : NLM_F_ACK);
	vec.iov_base = skb->data;
	vec.iov_len = skb->len;
	err = kernel_sendmsg(r->sock, &msg, &vec, 1, skb->len);
	if (err < 0)
		return err;
	/* rtnetlink answers before sendmsg returns, a dump as it is read. */
	for (;;) {
		memset(&msg, 0, sizeof(msg));
		vec.iov_base = r->buf;
		vec.iov_len = CKPT_RTNL_BUF;
		len = kernel_recvmsg(r->sock, &msg, &vec, 1, CKPT_RTNL_BUF,
				     MSG_DONTWAIT);
		if (len < 0)
			return len;
		if (msg.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		nlmsg_for_each_msg(nlh, (struct nlmsghdr *)r->buf, len, rem) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR ||
			    nlh->nlmsg_type == NLMSG_DONE) {
				/* Both start with the error, 0 for none. */
				if (nlh->nlmsg_len < nlmsg_msg_size(sizeof(int)))
					return -EPROTO;
				return *(int *)nlmsg_data(nlh);
			}
			if (fn) {
				err = fn(arg, nlh);
				if (err)
					return err;
			}
		}
	}
}

/* A request of @type, with a zeroed header of @len bytes at *@hdr. */
static struct sk_buff *ckpt_rtnl_msg(int type, int flags, size_t len,
				     void **hdr)
{
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!skb)
		return NULL;
	nlh = nlmsg_put(skb, 0, 0, type, len, flags);
	if (!nlh) {
		kfree_skb(skb);
		return NULL;
	}
	*hdr = nlmsg_data(nlh);
	memset(*hdr, 0, len);
	return skb;
}

/* Send the request in @skb, built without error (@err), and free it. */
static int ckpt_rtnl_send(struct ckpt_rtnl *r, struct sk_buff *skb, int err)
{
	if (!err) {
		nlmsg_end(skb, nlmsg_hdr(skb));
		err = ckpt_rtnl_talk(r, skb, NULL, NULL);
	}
	consume_skb(skb);
	return err;
}

/* ---------------------------------------------------------------- */
/* Saving                                                             */

#define CKPT_IPSTR_LEN	INET6_ADDRSTRLEN

struct ckpt_net_save {
	struct ckpt_ctx *ctx;
	struct net *net;
	int family;		/* of the routes being read */
	char why[160];		/* what cannot be saved, told once unlocked */
	unsigned int nr_devs, nr_addrs, nr_routes;
	struct ckpt_netdev devs[CKPT_NET_MAX];
	struct ckpt_netaddr addrs[CKPT_NET_MAX];
	struct ckpt_netroute routes[CKPT_NET_MAX];
};

/* The flags of @dev that a user sets, as CKPT_NETDEV_*. */
static u32 ckpt_netdev_flags(const struct net_device *dev)
{
	u32 flags = 0;

	if (dev->flags & IFF_UP)
		flags |= CKPT_NETDEV_UP;
	if (dev->flags & IFF_NOARP)
		flags |= CKPT_NETDEV_NOARP;
	if (dev->flags & IFF_MULTICAST)
		flags |= CKPT_NETDEV_MULTICAST;
	if (dev->gflags & IFF_PROMISC)
		flags |= CKPT_NETDEV_PROMISC;
	if (dev->gflags & IFF_ALLMULTI)
		flags |= CKPT_NETDEV_ALLMULTI;
	return flags;
}

/* The tunnel drivers that give every network namespace a device. */
static const char *const ckpt_net_fallback_kinds[] = {
	"ipip", "gre", "gretap", "erspan", "vti", "sit", "ip6tnl", "ip6gre",
	"ip6gretap", "ip6erspan", "vti6",
};

/*
 * A device that every network namespace gets, down and without an IPv4
 * address: the fallback device of a tunnel driver (sit0, tunl0, ...),
 * which cannot have come from elsewhere and which the namespace that
 * restart makes gets too.  Not a bridge or a bond, which cannot move
 * between namespaces either.
 */
static bool ckpt_net_fallback(struct net_device *dev)
{
	const struct in_device *in_dev = __in_dev_get_rtnl(dev);
	const struct rtnl_link_ops *ops = dev->rtnl_link_ops;
	unsigned int i;

	if (!dev->netns_immutable || !ops || dev->flags & IFF_UP ||
	    (in_dev && rtnl_dereference(in_dev->ifa_list)))
		return false;
	for (i = 0; i < ARRAY_SIZE(ckpt_net_fallback_kinds); i++)
		if (!strcmp(ops->kind, ckpt_net_fallback_kinds[i]))
			return true;
	return false;
}

/* @addr of @family as text, in @buf. */
static const char *ckpt_ipstr(char *buf, int family, const u8 *addr)
{
	if (family == AF_INET)
		snprintf(buf, CKPT_IPSTR_LEN, "%pI4", addr);
	else
		snprintf(buf, CKPT_IPSTR_LEN, "%pI6c", addr);
	return buf;
}

/* Say why the namespace cannot be saved, once no lock is held. */
static __printf(2, 3) int ckpt_net_refuse(struct ckpt_net_save *s,
					  const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(s->why, sizeof(s->why), fmt, args);
	va_end(args);
	return -EOPNOTSUPP;
}

static int ckpt_net_too_many(struct ckpt_net_save *s, const char *what)
{
	return ckpt_net_refuse(s, "the network namespace of the tasks has more than %d %s",
			       CKPT_NET_MAX, what);
}

/* The IPv4 addresses of @dev, under the RTNL lock. */
static int ckpt_inet_addrs_save(struct ckpt_net_save *s, struct net_device *dev)
{
	struct in_device *in_dev = __in_dev_get_rtnl(dev);
	struct ckpt_netaddr *a;
	struct in_ifaddr *ifa;

	if (!in_dev)
		return 0;
	in_dev_for_each_ifa_rtnl(ifa, in_dev) {
		if (s->nr_addrs == CKPT_NET_MAX)
			return ckpt_net_too_many(s, "addresses");
		a = &s->addrs[s->nr_addrs++];
		a->ifindex = dev->ifindex;
		a->family = AF_INET;
		a->prefixlen = ifa->ifa_prefixlen;
		a->scope = ifa->ifa_scope;
		a->flags = ifa->ifa_flags & CKPT_NETADDR_ALL;
		memcpy(a->local, &ifa->ifa_local, 4);
		memcpy(a->address, &ifa->ifa_address, 4);
		memcpy(a->broadcast, &ifa->ifa_broadcast, 4);
		strscpy(a->label, ifa->ifa_label, sizeof(a->label));
	}
	return 0;
}

/*
 * The IPv6 addresses of @dev, under the RTNL lock, but those made from
 * router advertisements, which come again.
 */
static int ckpt_inet6_addrs_save(struct ckpt_net_save *s,
				 struct net_device *dev)
{
#if IS_ENABLED(CONFIG_IPV6)
	struct inet6_dev *idev = __in6_dev_get(dev);
	struct inet6_ifaddr *ifp;
	struct ckpt_netaddr *a;
	bool full = false;

	if (!idev)
		return 0;
	read_lock_bh(&idev->lock);
	list_for_each_entry(ifp, &idev->addr_list, if_list) {
		if (!(ifp->flags & IFA_F_PERMANENT))
			continue;
		if (s->nr_addrs == CKPT_NET_MAX) {
			full = true;
			break;
		}
		a = &s->addrs[s->nr_addrs++];
		a->ifindex = dev->ifindex;
		a->family = AF_INET6;
		a->prefixlen = ifp->prefix_len;
		a->flags = ifp->flags & CKPT_NETADDR_ALL;
		memcpy(a->local, &ifp->addr, 16);
		memcpy(a->address, &ifp->addr, 16);
	}
	read_unlock_bh(&idev->lock);
	if (full)
		return ckpt_net_too_many(s, "addresses");
#endif
	return 0;
}

/* Describe @dev, under the RTNL lock. */
static int ckpt_netdev_save(struct ckpt_net_save *s, struct net_device *dev)
{
	const struct rtnl_link_ops *ops = dev->rtnl_link_ops;
	struct net_device *peer;
	struct ckpt_netdev *d;
	struct net *peer_net;
	int iflink;

	if (dev != s->net->loopback_dev && ckpt_net_fallback(dev))
		return 0;
	if (s->nr_devs == CKPT_NET_MAX)
		return ckpt_net_too_many(s, "devices");
	d = &s->devs[s->nr_devs];
	if (dev == s->net->loopback_dev)
		d->kind = CKPT_NETDEV_LOOPBACK;
	else if (ops && !strcmp(ops->kind, "dummy"))
		d->kind = CKPT_NETDEV_DUMMY;
	else if (ops && !strcmp(ops->kind, "veth") && ops->get_link_net)
		d->kind = CKPT_NETDEV_VETH;
	else
		return ckpt_net_refuse(s, "the network namespace of the tasks has device %s (%s)",
				       dev->name, ops ? ops->kind : "no rtnetlink kind");
	if (dev->addr_len > CKPT_NETDEV_ADDR_LEN)
		return ckpt_net_refuse(s, "device %s has a hardware address of %u bytes",
				       dev->name, dev->addr_len);
	d->ifindex = dev->ifindex;
	d->flags = ckpt_netdev_flags(dev);
	d->mtu = dev->mtu;
	d->addr_len = dev->addr_len;
	memcpy(d->addr, dev->dev_addr, dev->addr_len);
	strscpy(d->name, dev->name, sizeof(d->name));
	if (d->kind == CKPT_NETDEV_VETH) {
		peer_net = ops->get_link_net(dev);
		iflink = dev_get_iflink(dev);
		peer = iflink ? __dev_get_by_index(peer_net, iflink) : NULL;
		if (!peer || peer->addr_len != dev->addr_len)
			return ckpt_net_refuse(s, "veth %s has no peer", dev->name);
		if (net_eq(peer_net, s->net)) {
			d->peer_ifindex = iflink;
		} else {
			d->peer_flags = ckpt_netdev_flags(peer);
			d->peer_mtu = peer->mtu;
			memcpy(d->peer_addr, peer->dev_addr, peer->addr_len);
			strscpy(d->peer_name, peer->name, sizeof(d->peer_name));
		}
	}
	s->nr_devs++;
	return ckpt_inet_addrs_save(s, dev) ?: ckpt_inet6_addrs_save(s, dev);
}

static bool ckpt_netdev_saved(const struct ckpt_net_save *s, int ifindex)
{
	unsigned int i;

	for (i = 0; i < s->nr_devs; i++)
		if (s->devs[i].ifindex == ifindex)
			return true;
	return false;
}

/* Copy the address in @nla of @len bytes to @to. */
static int ckpt_route_addr(const struct nlattr *nla, int len, u8 *to)
{
	if (nla_len(nla) != len)
		return -EPROTO;
	memcpy(to, nla_data(nla), len);
	return 0;
}

/* A route of the dump of the namespace's routes. */
static int ckpt_route_save(void *arg, const struct nlmsghdr *nlh)
{
	struct ckpt_net_save *s = arg;
	struct ckpt_netroute r = {};
	char dst[CKPT_IPSTR_LEN];
	const struct nlattr *nla;
	const struct rtmsg *rtm;
	int alen, rem, other = 0, err = 0;
	bool learnt = false;
	u32 table;

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    nlh->nlmsg_len < nlmsg_msg_size(sizeof(*rtm)))
		return -EPROTO;
	/* The routes changed while they were read: not a whole picture. */
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		return -EAGAIN;
	rtm = nlmsg_data(nlh);
	/* A kernel without the family dumps them all. */
	if (rtm->rtm_family != s->family)
		return 0;
	alen = rtm->rtm_family == AF_INET ? 4 : 16;
	table = rtm->rtm_table;
	r.family = rtm->rtm_family;
	r.dst_len = rtm->rtm_dst_len;
	r.tos = rtm->rtm_tos;
	r.protocol = rtm->rtm_protocol;
	r.scope = rtm->rtm_scope;
	r.type = rtm->rtm_type;
	if (rtm->rtm_flags & RTNH_F_ONLINK)
		r.flags |= CKPT_ROUTE_ONLINK;
	nlmsg_for_each_attr(nla, nlh, sizeof(*rtm), rem) {
		switch (nla_type(nla)) {
		case RTA_TABLE:
			if (nla_len(nla) != sizeof(u32))
				return -EPROTO;
			table = nla_get_u32(nla);
			break;
		case RTA_DST:
			err = ckpt_route_addr(nla, alen, r.dst);
			break;
		case RTA_GATEWAY:
			err = ckpt_route_addr(nla, alen, r.gateway);
			r.flags |= CKPT_ROUTE_GATEWAY;
			break;
		case RTA_PREFSRC:
			err = ckpt_route_addr(nla, alen, r.prefsrc);
			r.flags |= CKPT_ROUTE_PREFSRC;
			break;
		case RTA_OIF:
			if (nla_len(nla) != sizeof(u32))
				return -EPROTO;
			r.oif = nla_get_u32(nla);
			break;
		case RTA_PRIORITY:
			if (nla_len(nla) != sizeof(u32))
				return -EPROTO;
			r.priority = nla_get_u32(nla);
			break;
		case RTA_EXPIRES:
			learnt = true;
			break;
		case RTA_CACHEINFO:
		case RTA_PREF:
			break;
		default:
			other = nla_type(nla);
			break;
		}
		if (err)
			return err;
	}
	if (rtm->rtm_flags & RTM_F_CLONED || r.protocol == RTPROT_KERNEL ||
	    r.protocol == RTPROT_RA || table == RT_TABLE_LOCAL || learnt)
		return 0;
	if (table != RT_TABLE_MAIN)
		return ckpt_net_refuse(s,
				       "the network namespace of the tasks has routes in table %u",
				       table);
	if (other || (r.type != RTN_UNICAST && r.type != RTN_BLACKHOLE &&
		      r.type != RTN_UNREACHABLE && r.type != RTN_PROHIBIT))
		return ckpt_net_refuse(s,
				       "the route to %s/%u of type %u has attribute %d (metrics, multipath, ...)",
				       ckpt_ipstr(dst, r.family, r.dst),
				       r.dst_len, r.type, other);
	/* A device made since they were read */
	if (r.oif && !ckpt_netdev_saved(s, r.oif))
		return ckpt_net_refuse(s, "a route through device %d, made while saving",
				       r.oif);
	if (s->nr_routes == CKPT_NET_MAX)
		return ckpt_net_too_many(s, "routes");
	s->routes[s->nr_routes++] = r;
	return 0;
}

/* The routes of one family, as "ip route show table all" reads them. */
static int ckpt_routes_save(struct ckpt_net_save *s, struct ckpt_rtnl *r,
			    int family)
{
	struct sk_buff *skb;
	struct rtmsg *rtm;
	int err;

	skb = ckpt_rtnl_msg(RTM_GETROUTE, 0, sizeof(*rtm), (void **)&rtm);
	if (!skb)
		return -ENOMEM;
	rtm->rtm_family = family;
	s->family = family;
	nlmsg_end(skb, nlmsg_hdr(skb));
	err = ckpt_rtnl_talk(r, skb, ckpt_route_save, s);
	consume_skb(skb);
	if (err == -EAFNOSUPPORT)	/* no IPv6 */
		err = 0;
	return err;
}

/**
 * ckpt_net_save - save the network namespace of the tasks
 * @ctx:	checkpoint context
 * @net:	the namespace, not the caller's, its tasks held still
 *
 * Return: the CKPT_HDR_NET record, to be freed with kvfree(), or an
 * ERR_PTR: -EOPNOTSUPP with a message naming what cannot be saved.
 */
struct ckpt_hdr_net *ckpt_net_save(struct ckpt_ctx *ctx, struct net *net)
{
	struct ckpt_hdr_net *h = NULL;
	struct ckpt_net_save *s;
	struct net_device *dev;
	struct ckpt_rtnl r;
	size_t devs, addrs, routes;
	int err = 0;

	s = kvzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->ctx = ctx;
	s->net = net;
	rtnl_lock();
	for_each_netdev(net, dev) {
		err = ckpt_netdev_save(s, dev);
		if (err)
			break;
	}
	rtnl_unlock();
	if (err)
		goto out;

	err = ckpt_rtnl_open(&r, net);
	if (err)
		goto out;
	err = ckpt_routes_save(s, &r, AF_INET) ?:
	      ckpt_routes_save(s, &r, AF_INET6);
	ckpt_rtnl_close(&r);
	if (err)
		goto out;

	devs = s->nr_devs * sizeof(s->devs[0]);
	addrs = s->nr_addrs * sizeof(s->addrs[0]);
	routes = s->nr_routes * sizeof(s->routes[0]);
	h = ckpt_hdr_alloc(sizeof(*h) + devs + addrs + routes, CKPT_HDR_NET);
	if (!h) {
		err = -ENOMEM;
		goto out;
	}
	h->nr_devs = s->nr_devs;
	h->nr_addrs = s->nr_addrs;
	h->nr_routes = s->nr_routes;
	memcpy((void *)(h + 1), s->devs, devs);
	memcpy((void *)(h + 1) + devs, s->addrs, addrs);
	memcpy((void *)(h + 1) + devs + addrs, s->routes, routes);
out:
	if (err == -EOPNOTSUPP && s->why[0])
		ckpt_err(ctx, err, "%s: not supported", s->why);
	else if (err)
		ckpt_err(ctx, err, "cannot read the network namespace of the tasks");
	kvfree(s);
	return err ? ERR_PTR(err) : h;
}

/* ---------------------------------------------------------------- */
/* Checking                                                           */

static const struct ckpt_netdev *ckpt_netdevs(const struct ckpt_hdr_net *h)
{
	return (const void *)(h + 1);
}

static const struct ckpt_netaddr *ckpt_netaddrs(const struct ckpt_hdr_net *h)
{
	return (const void *)(ckpt_netdevs(h) + h->nr_devs);
}

static const struct ckpt_netroute *ckpt_netroutes(const struct ckpt_hdr_net *h)
{
	return (const void *)(ckpt_netaddrs(h) + h->nr_addrs);
}

static const struct ckpt_netdev *ckpt_netdev_find(const struct ckpt_hdr_net *h,
						  int ifindex)
{
	const struct ckpt_netdev *d = ckpt_netdevs(h);
	unsigned int i;

	for (i = 0; i < h->nr_devs; i++)
		if (d[i].ifindex == ifindex)
			return &d[i];
	return NULL;
}

/*
 * The name in @name: a device name as dev_valid_name() takes it, and not
 * a pattern ("eth%d"), which rtnetlink would make a name of.
 */
static int ckpt_check_ifname(struct ckpt_ctx *ctx, const char *name,
			     const char *field)
{
	int err = ckpt_check_string(ctx, name, IFNAMSIZ, field);

	if (!err && (!dev_valid_name(name) || strchr(name, '%')))
		err = ckpt_err(ctx, -EINVAL, "%s \"%s\" is not a device name",
			       field, name);
	return err;
}

static int ckpt_netdev_check(struct ckpt_ctx *ctx, const struct ckpt_hdr_net *h,
			     const struct ckpt_netdev *d)
{
	const struct ckpt_netdev *peer;
	int err;

	/* Room above them all for the spare ifindexes of ckpt_netdevs_make() */
	if (d->ifindex <= 0 || d->ifindex > INT_MAX - CKPT_NET_MAX ||
	    ckpt_netdev_find(h, d->ifindex) != d)
		return ckpt_err(ctx, -EINVAL, "device ifindex %d", d->ifindex);
	if (d->kind < CKPT_NETDEV_LOOPBACK || d->kind > CKPT_NETDEV_VETH)
		return ckpt_err(ctx, -EINVAL, "device %d of kind %u",
				d->ifindex, d->kind);
	/* The loopback device, and it alone, is at LOOPBACK_IFINDEX. */
	if (d->kind == CKPT_NETDEV_LOOPBACK ? d->ifindex != LOOPBACK_IFINDEX :
					      d->ifindex == LOOPBACK_IFINDEX)
		return ckpt_err(ctx, -EINVAL, "device %d of kind %u",
				d->ifindex, d->kind);
	if ((d->flags | d->peer_flags) & ~CKPT_NETDEV_ALL ||
	    d->addr_len > CKPT_NETDEV_ADDR_LEN)
		return ckpt_err(ctx, -EINVAL, "device %d flags %#x, %#x, address length %u",
				d->ifindex, d->flags, d->peer_flags,
				d->addr_len);
	err = ckpt_check_zero(ctx, d->addr + d->addr_len,
			      CKPT_NETDEV_ADDR_LEN - d->addr_len, "addr") ?:
	      ckpt_check_ifname(ctx, d->name, "device name");
	if (err)
		return err;
	if (d->kind != CKPT_NETDEV_VETH && d->peer_ifindex)
		return ckpt_err(ctx, -EINVAL, "device %d of kind %u with a peer",
				d->ifindex, d->kind);
	if (d->kind == CKPT_NETDEV_VETH && d->peer_ifindex) {
		peer = ckpt_netdev_find(h, d->peer_ifindex);
		if (!peer || peer == d || peer->kind != CKPT_NETDEV_VETH ||
		    peer->peer_ifindex != d->ifindex ||
		    peer->addr_len != d->addr_len)
			return ckpt_err(ctx, -EINVAL, "veth %d: peer %d",
					d->ifindex, d->peer_ifindex);
	} else if (d->kind == CKPT_NETDEV_VETH) {
		return ckpt_check_zero(ctx, d->peer_addr + d->addr_len,
				       CKPT_NETDEV_ADDR_LEN - d->addr_len,
				       "peer_addr") ?:
		       ckpt_check_ifname(ctx, d->peer_name, "peer name");
	}
	if (d->peer_flags || d->peer_mtu)
		return ckpt_err(ctx, -EINVAL, "device %d: a peer outside",
				d->ifindex);
	return ckpt_check_zero(ctx, d->peer_addr, sizeof(d->peer_addr),
			       "peer_addr") ?:
	       ckpt_check_zero(ctx, d->peer_name, sizeof(d->peer_name),
			       "peer_name");
}

static int ckpt_netaddr_check(struct ckpt_ctx *ctx, const struct ckpt_hdr_net *h,
			      const struct ckpt_netaddr *a)
{
	int alen = a->family == AF_INET ? 4 : 16;

	if (!ckpt_netdev_find(h, a->ifindex))
		return ckpt_err(ctx, -EINVAL, "an address of device %d, not saved",
				a->ifindex);
	if ((a->family != AF_INET && a->family != AF_INET6) ||
	    a->prefixlen > alen * 8 || a->flags & ~CKPT_NETADDR_ALL)
		return ckpt_err(ctx, -EINVAL, "address family %u, prefix length %u, flags %#x",
				a->family, a->prefixlen, a->flags);
	if (a->family == AF_INET6 &&
	    (a->scope || memcmp(a->local, a->address, 16) ||
	     memchr_inv(a->broadcast, 0, sizeof(a->broadcast)) ||
	     memchr_inv(a->label, 0, sizeof(a->label))))
		return ckpt_err(ctx, -EINVAL, "IPv6 address with IPv4 fields");
	return ckpt_check_zero(ctx, a->local + alen, 16 - alen, "local") ?:
	       ckpt_check_zero(ctx, a->address + alen, 16 - alen, "address") ?:
	       ckpt_check_string(ctx, a->label, sizeof(a->label), "label") ?:
	       ckpt_check_zero(ctx, &a->_pad, sizeof(a->_pad), "_pad") ?:
	       ckpt_check_zero(ctx, &a->_pad2, sizeof(a->_pad2), "_pad2");
}

static int ckpt_netroute_check(struct ckpt_ctx *ctx, const struct ckpt_hdr_net *h,
			       const struct ckpt_netroute *r)
{
	int alen = r->family == AF_INET ? 4 : 16;

	if ((r->family != AF_INET && r->family != AF_INET6) ||
	    r->dst_len > alen * 8 || r->flags & ~CKPT_ROUTE_ALL ||
	    r->protocol == RTPROT_KERNEL ||
	    (r->type != RTN_UNICAST && r->type != RTN_BLACKHOLE &&
	     r->type != RTN_UNREACHABLE && r->type != RTN_PROHIBIT))
		return ckpt_err(ctx, -EINVAL,
				"route family %u, length %u, flags %#x, protocol %u, type %u",
				r->family, r->dst_len, r->flags, r->protocol,
				r->type);
	if (r->oif && !ckpt_netdev_find(h, r->oif))
		return ckpt_err(ctx, -EINVAL, "a route through device %d, not saved",
				r->oif);
	if (!(r->flags & CKPT_ROUTE_GATEWAY) &&
	    memchr_inv(r->gateway, 0, sizeof(r->gateway)))
		return ckpt_err(ctx, -EINVAL, "route gateway without its flag");
	if (!(r->flags & CKPT_ROUTE_PREFSRC) &&
	    memchr_inv(r->prefsrc, 0, sizeof(r->prefsrc)))
		return ckpt_err(ctx, -EINVAL, "route source without its flag");
	return ckpt_check_zero(ctx, r->dst + alen, 16 - alen, "dst") ?:
	       ckpt_check_zero(ctx, r->gateway + alen, 16 - alen, "gateway") ?:
	       ckpt_check_zero(ctx, r->prefsrc + alen, 16 - alen, "prefsrc") ?:
	       ckpt_check_zero(ctx, &r->_pad, sizeof(r->_pad), "_pad") ?:
	       ckpt_check_zero(ctx, &r->_pad2, sizeof(r->_pad2), "_pad2");
}

/**
 * ckpt_net_read - read and check the CKPT_HDR_NET record
 * @ctx:	restart context
 *
 * Keeps it in @ctx for ckpt_net_restore().
 *
 * Return: 0 or a negative errno.
 */
int ckpt_net_read(struct ckpt_ctx *ctx)
{
	const struct ckpt_netroute *routes;
	const struct ckpt_netaddr *addrs;
	const struct ckpt_netdev *devs;
	struct ckpt_hdr_net *h;
	unsigned int i;
	int err = 0;

	h = ckpt_read_record(ctx, CKPT_HDR_NET, sizeof(*h), CKPT_RECORD_MAX);
	if (IS_ERR(h))
		return PTR_ERR(h);
	if (h->nr_devs > CKPT_NET_MAX || h->nr_addrs > CKPT_NET_MAX ||
	    h->nr_routes > CKPT_NET_MAX || h->_pad ||
	    h->h.len != sizeof(*h) + h->nr_devs * sizeof(*devs) +
			h->nr_addrs * sizeof(*addrs) +
			h->nr_routes * sizeof(*routes)) {
		err = ckpt_err(ctx, -EINVAL, "%u devices, %u addresses, %u routes in %u bytes",
			       h->nr_devs, h->nr_addrs, h->nr_routes, h->h.len);
		goto out;
	}
	devs = ckpt_netdevs(h);
	addrs = ckpt_netaddrs(h);
	routes = ckpt_netroutes(h);
	if (!ckpt_netdev_find(h, LOOPBACK_IFINDEX))
		err = ckpt_err(ctx, -EINVAL, "no loopback device");
	for (i = 0; !err && i < h->nr_devs; i++)
		err = ckpt_netdev_check(ctx, h, &devs[i]);
	for (i = 0; !err && i < h->nr_addrs; i++)
		err = ckpt_netaddr_check(ctx, h, &addrs[i]);
	for (i = 0; !err && i < h->nr_routes; i++)
		err = ckpt_netroute_check(ctx, h, &routes[i]);
out:
	if (err) {
		kvfree(h);
		return err;
	}
	ctx->netcfg = h;
	return 0;
}

/* ---------------------------------------------------------------- */
/* Restoring                                                          */

static unsigned int ckpt_netdev_iff(u32 flags)
{
	unsigned int iff = 0;

	if (flags & CKPT_NETDEV_UP)
		iff |= IFF_UP;
	if (flags & CKPT_NETDEV_NOARP)
		iff |= IFF_NOARP;
	if (flags & CKPT_NETDEV_MULTICAST)
		iff |= IFF_MULTICAST;
	if (flags & CKPT_NETDEV_PROMISC)
		iff |= IFF_PROMISC;
	if (flags & CKPT_NETDEV_ALLMULTI)
		iff |= IFF_ALLMULTI;
	return iff;
}

#define CKPT_NETDEV_IFF	(IFF_UP | IFF_NOARP | IFF_MULTICAST | IFF_PROMISC | \
			 IFF_ALLMULTI)

static void ckpt_ifinfo(struct ifinfomsg *ifm, int ifindex, u32 flags)
{
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	ifm->ifi_flags = ckpt_netdev_iff(flags);
	ifm->ifi_change = CKPT_NETDEV_IFF;
}

static int ckpt_netdev_attrs(struct sk_buff *skb, const char *name, u32 mtu,
			     u32 addr_len, const u8 *addr)
{
	return nla_put_string(skb, IFLA_IFNAME, name) ?:
	       nla_put_u32(skb, IFLA_MTU, mtu) ?:
	       (addr_len ? nla_put(skb, IFLA_ADDRESS, addr_len, addr) : 0);
}

/*
 * The peer of a veth, inside (@peer) or to be moved outside: made at
 * ifindex @spare, which no device of the image has.
 */
static int ckpt_veth_peer(struct sk_buff *skb, const struct ckpt_netdev *d,
			  const struct ckpt_netdev *peer, int spare)
{
	struct ifinfomsg *ifm;
	struct nlattr *data, *nest;

	data = nla_nest_start_noflag(skb, IFLA_INFO_DATA);
	nest = nla_nest_start_noflag(skb, VETH_INFO_PEER);
	if (!data || !nest || skb_tailroom(skb) < sizeof(*ifm))
		return -EMSGSIZE;
	ifm = skb_put_zero(skb, sizeof(*ifm));
	/* Up once its pair exists, as veth_open() wants. */
	if (peer) {
		ckpt_ifinfo(ifm, peer->ifindex, peer->flags & ~CKPT_NETDEV_UP);
		if (ckpt_netdev_attrs(skb, peer->name, peer->mtu,
				      peer->addr_len, peer->addr))
			return -EMSGSIZE;
	} else {
		/* Down until it is moved, which would take it down. */
		ckpt_ifinfo(ifm, spare, d->peer_flags & ~CKPT_NETDEV_UP);
		if (ckpt_netdev_attrs(skb, d->peer_name, d->peer_mtu,
				      d->addr_len, d->peer_addr))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	nla_nest_end(skb, data);
	return 0;
}

/* Make device @d, and its peer: @peer if a veth inside, else at @spare. */
static int ckpt_netdev_make(struct ckpt_rtnl *r, const struct ckpt_netdev *d,
			    const struct ckpt_netdev *peer, int spare)
{
	struct ifinfomsg *ifm;
	struct nlattr *info;
	struct sk_buff *skb;
	const char *kind;
	int flags = NLM_F_CREATE | NLM_F_EXCL, err;

	if (d->kind == CKPT_NETDEV_LOOPBACK)
		flags = 0;		/* the namespace's own: set it up */
	skb = ckpt_rtnl_msg(RTM_NEWLINK, flags, sizeof(*ifm), (void **)&ifm);
	if (!skb)
		return -ENOMEM;
	ckpt_ifinfo(ifm, d->ifindex, d->flags);
	if (d->kind == CKPT_NETDEV_LOOPBACK)	/* its name and address stay */
		err = nla_put_u32(skb, IFLA_MTU, d->mtu);
	else
		err = ckpt_netdev_attrs(skb, d->name, d->mtu, d->addr_len,
					d->addr);
	if (!err && d->kind != CKPT_NETDEV_LOOPBACK) {
		info = nla_nest_start_noflag(skb, IFLA_LINKINFO);
		err = -EMSGSIZE;
		kind = d->kind == CKPT_NETDEV_VETH ? "veth" : "dummy";
		if (info && !nla_put_string(skb, IFLA_INFO_KIND, kind))
			err = d->kind == CKPT_NETDEV_VETH ?
			      ckpt_veth_peer(skb, d, peer, spare) : 0;
		if (!err)
			nla_nest_end(skb, info);
	}
	return ckpt_rtnl_send(r, skb, err);
}

/* Bring up device @d made down. */
static int ckpt_netdev_up(struct ckpt_rtnl *r, const struct ckpt_netdev *d)
{
	struct ifinfomsg *ifm;
	struct sk_buff *skb;

	skb = ckpt_rtnl_msg(RTM_NEWLINK, 0, sizeof(*ifm), (void **)&ifm);
	if (!skb)
		return -ENOMEM;
	ckpt_ifinfo(ifm, d->ifindex, d->flags);
	return ckpt_rtnl_send(r, skb, 0);
}

/* Move the peer of veth @d, made in @net, to @outer, the caller's. */
/*
 * Whether @dev is the outer end of a veth whose namespace is being torn
 * down: that of a container just killed, whose devices go soon.
 */
static bool ckpt_veth_dying(struct net_device *dev,
			    const struct rtnl_link_ops *ops)
{
	return dev && dev->rtnl_link_ops == ops && ops->get_link_net &&
	       !check_net(ops->get_link_net(dev));
}

static int ckpt_veth_move_peer(struct ckpt_ctx *ctx, struct net *net,
			       struct net *outer, const struct ckpt_netdev *d)
{
	struct net_device *peer;
	int tries = 0, err;
	bool dying;

	do {
		rtnl_lock();
		peer = __dev_get_by_name(net, d->peer_name);
		err = -ENODEV;
		if (peer)
			err = dev_change_net_namespace(peer, outer, NULL);
		if (!err && d->peer_flags & CKPT_NETDEV_UP)
			err = dev_change_flags(peer, peer->flags | IFF_UP, NULL);
		dying = err == -EEXIST && peer &&
			ckpt_veth_dying(__dev_get_by_name(outer, d->peer_name),
					peer->rtnl_link_ops);
		rtnl_unlock();
		/* Wait a while for the one of the container just killed. */
		if (dying)
			msleep(100);
	} while (dying && ++tries < 50 && !fatal_signal_pending(current));
	if (err)
		return ckpt_err(ctx, err,
				"cannot make %s, the peer of veth %s, in the caller's network namespace",
				d->peer_name, d->name);
	return 0;
}

static int ckpt_netaddr_make(struct ckpt_rtnl *r, const struct ckpt_netaddr *a)
{
	int alen = a->family == AF_INET ? 4 : 16;
	struct ifaddrmsg *ifa;
	struct sk_buff *skb;
	u32 flags = a->flags;
	int err;

	skb = ckpt_rtnl_msg(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL,
			    sizeof(*ifa), (void **)&ifa);
	if (!skb)
		return -ENOMEM;
	ifa->ifa_family = a->family;
	ifa->ifa_prefixlen = a->prefixlen;
	ifa->ifa_scope = a->scope;
	ifa->ifa_index = a->ifindex;
	if (a->family == AF_INET6)
		flags |= IFA_F_NODAD;	/* usable at once, as it was */
	err = nla_put(skb, IFA_LOCAL, alen, a->local) ?:
	      nla_put(skb, IFA_ADDRESS, alen, a->address) ?:
	      nla_put_u32(skb, IFA_FLAGS, flags);
	if (!err && a->family == AF_INET && memchr_inv(a->broadcast, 0, 4))
		err = nla_put(skb, IFA_BROADCAST, 4, a->broadcast);
	if (!err && a->label[0])
		err = nla_put_string(skb, IFA_LABEL, a->label);
	err = ckpt_rtnl_send(r, skb, err);
	/* One the kernel made itself (127.0.0.1 as lo went up, ...) */
	return err == -EEXIST ? 0 : err;
}

static int ckpt_netroute_make(struct ckpt_rtnl *r, const struct ckpt_netroute *rt)
{
	int alen = rt->family == AF_INET ? 4 : 16;
	struct sk_buff *skb;
	struct rtmsg *rtm;
	int err = 0;

	skb = ckpt_rtnl_msg(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL,
			    sizeof(*rtm), (void **)&rtm);
	if (!skb)
		return -ENOMEM;
	rtm->rtm_family = rt->family;
	rtm->rtm_dst_len = rt->dst_len;
	rtm->rtm_tos = rt->tos;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = rt->protocol;
	rtm->rtm_scope = rt->scope;
	rtm->rtm_type = rt->type;
	if (rt->flags & CKPT_ROUTE_ONLINK)
		rtm->rtm_flags = RTNH_F_ONLINK;
	if (rt->dst_len)
		err = nla_put(skb, RTA_DST, alen, rt->dst);
	if (!err && rt->flags & CKPT_ROUTE_GATEWAY)
		err = nla_put(skb, RTA_GATEWAY, alen, rt->gateway);
	if (!err && rt->flags & CKPT_ROUTE_PREFSRC)
		err = nla_put(skb, RTA_PREFSRC, alen, rt->prefsrc);
	if (!err && rt->oif)
		err = nla_put_u32(skb, RTA_OIF, rt->oif);
	if (!err && rt->priority)
		err = nla_put_u32(skb, RTA_PRIORITY, rt->priority);
	return ckpt_rtnl_send(r, skb, err);
}

/* Make the devices: veths whose peer goes outside (@outside) or others. */
static int ckpt_netdevs_make(struct ckpt_ctx *ctx, struct ckpt_rtnl *r,
			     struct net *outer, bool outside)
{
	const struct ckpt_hdr_net *h = ctx->netcfg;
	const struct ckpt_netdev *d = ckpt_netdevs(h), *peer;
	struct net *net = current->nsproxy->net_ns;
	unsigned int i;
	int spare = 0, err;

	/*
	 * A veth registers its peer first: one to be moved out gets an
	 * ifindex that no device of the image needs, above them all.
	 */
	for (i = 0; i < h->nr_devs; i++)
		spare = max(spare, d[i].ifindex);
	for (i = 0; i < h->nr_devs; i++, d++) {
		if ((d->kind == CKPT_NETDEV_VETH && !d->peer_ifindex) != outside)
			continue;
		peer = NULL;
		if (d->kind == CKPT_NETDEV_VETH && d->peer_ifindex) {
			/* The pair is made by its end of lower index. */
			if (d->peer_ifindex < d->ifindex)
				continue;
			peer = ckpt_netdev_find(h, d->peer_ifindex);
		}
		if (outside && !ns_capable(outer->user_ns, CAP_NET_ADMIN))
			return ckpt_err(ctx, -EPERM,
					"making %s, the peer of veth %s, in the caller's network namespace needs CAP_NET_ADMIN there",
					d->peer_name, d->name);
		err = ckpt_netdev_make(r, d, peer, ++spare);
		if (!err && peer && peer->flags & CKPT_NETDEV_UP)
			err = ckpt_netdev_up(r, peer);
		if (err)
			return ckpt_err(ctx, err, "cannot make device %s%s%s",
					d->name, peer ? " with its peer " : "",
					peer ? peer->name : "");
		if (outside) {
			err = ckpt_veth_move_peer(ctx, net, outer, d);
			if (err)
				return err;
		}
	}
	return 0;
}

/**
 * ckpt_net_restore - set up the network namespace just made for the tasks
 * @ctx:	restart context
 * @flags:	its checked CKPT_NET_* flags
 * @outer:	the network namespace of the caller of restart(2)
 *
 * Setting it up needs CAP_NET_ADMIN in the namespace, as for ip(8), and
 * in @outer for the peers of veths that were outside.
 *
 * Return: 0 or a negative errno with a message.
 */
int ckpt_net_restore(struct ckpt_ctx *ctx, u32 flags, struct net *outer)
{
	struct net *net = current->nsproxy->net_ns;
	const struct ckpt_hdr_net *h = ctx->netcfg;
	const struct ckpt_netroute *rt;
	const struct ckpt_netaddr *a;
	struct net_device *lo = net->loopback_dev;
	char addr[CKPT_IPSTR_LEN];
	struct ckpt_rtnl r;
	unsigned int i;
	int err;

	if (!(flags & CKPT_NET_CONFIG)) {
		/* An image of minor 20: the loopback device only. */
		if (!(flags & CKPT_NET_LO_UP))
			return 0;
		if (!ns_capable(net->user_ns, CAP_NET_ADMIN))
			return ckpt_err(ctx, -EPERM, "cannot bring the loopback device up");
		rtnl_lock();
		err = dev_change_flags(lo, lo->flags | IFF_UP, NULL);
		rtnl_unlock();
		if (err)
			return ckpt_err(ctx, err, "cannot bring the loopback device up");
		return 0;
	}

	err = ckpt_rtnl_open(&r, net);
	if (err)
		return ckpt_err(ctx, err, "cannot open an rtnetlink socket");
	err = ckpt_netdevs_make(ctx, &r, outer, false) ?:
	      ckpt_netdevs_make(ctx, &r, outer, true);
	a = ckpt_netaddrs(h);
	for (i = 0; !err && i < h->nr_addrs; i++, a++) {
		err = ckpt_netaddr_make(&r, a);
		if (err)
			err = ckpt_err(ctx, err, "cannot add address %s/%u to device %d",
				       ckpt_ipstr(addr, a->family, a->local),
				       a->prefixlen, a->ifindex);
	}
	rt = ckpt_netroutes(h);
	for (i = 0; !err && i < h->nr_routes; i++, rt++) {
		err = ckpt_netroute_make(&r, rt);
		if (err)
			err = ckpt_err(ctx, err, "cannot add the route to %s/%u",
				       ckpt_ipstr(addr, rt->family, rt->dst),
				       rt->dst_len);
	}
	ckpt_rtnl_close(&r);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: the namespaces of the tasks.
 *
 * The tasks of an image share the namespaces of their root.  Those that
 * are the root's own, not the ones of the caller of checkpoint(2), as a
 * container's are, go into the namespaces record: a UTS namespace with
 * its names, an IPC namespace with its SysV objects (ipc/checkpoint.c)
 * and POSIX message queues (ipc/checkpoint_mq.c), a network namespace that holds nothing but
 * its loopback device (net/checkpoint.c).  Restart makes them anew for
 * the root, before it creates the other tasks, which share them.  Pid
 * namespaces are the caller's business (see restart.c); the mount,
 * user, cgroup and time namespaces are those of the caller of
 * restart(2).
 */

#include <linux/checkpoint.h>
#include <linux/ipc_namespace.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/syscalls.h>
#include <linux/utsname.h>
#include <net/net_namespace.h>

#include "internal.h"

struct ckpt_ns_set {
	struct uts_namespace *uts;
	struct ipc_namespace *ipc;
	struct net *net;
};

/* The namespaces of @t, or false if it has none left (a zombie). */
static bool ckpt_task_ns(struct task_struct *t, struct ckpt_ns_set *set)
{
	struct nsproxy *nsp;

	task_lock(t);
	nsp = t->nsproxy;
	if (nsp) {
		set->uts = nsp->uts_ns;
		set->ipc = nsp->ipc_ns;
		set->net = nsp->net_ns;
	}
	task_unlock(t);
	return !!nsp;
}

/**
 * ckpt_write_namespaces - write the namespaces the tasks have of their own
 * @ctx:	checkpoint context, with its tasks held still
 *
 * The namespace objects are compared by address only, and the tasks
 * that use them are pinned and held still: no reference is needed.
 *
 * Return: 0, or -EOPNOTSUPP for tasks in different namespaces.
 */
int ckpt_write_namespaces(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_net *netcfg = NULL;
	struct ckpt_ns_set root, mine, t;
	struct ckpt_hdr_namespaces *h;
	unsigned int i;
	u32 flags = 0;
	int err;

	if (!ckpt_task_ns(ctx->tasks[0], &root) || !ckpt_task_ns(current, &mine))
		return ckpt_err(ctx, -ESRCH, "the root has exited");
	for (i = 1; i < ctx->nr_tasks; i++) {
		if (!ckpt_task_ns(ctx->tasks[i], &t))
			continue;
		if (t.uts != root.uts || t.ipc != root.ipc || t.net != root.net)
			return ckpt_err(ctx, -EOPNOTSUPP,
					"pid %d (%s) is not in the UTS, IPC and network namespaces of the root: not supported",
					task_pid_nr_ns(ctx->tasks[i], ctx->root_pidns),
					ctx->tasks[i]->comm);
	}
	if (root.uts != mine.uts)
		flags |= CKPT_NS_UTS;
	if (root.ipc != mine.ipc) {
		ctx->ipc = root.ipc;
		flags |= CKPT_NS_IPC;
	}
	ctx->net = root.net;
	if (root.net != mine.net) {
		netcfg = ckpt_net_save(ctx, root.net);
		if (IS_ERR(netcfg))
			return PTR_ERR(netcfg);
		ctx->own_net = true;
		flags |= CKPT_NS_NET;
	}
	if (!flags)
		return ckpt_write_ipc(ctx, NULL);

	h = ckpt_hdr_alloc(sizeof(*h), CKPT_HDR_NAMESPACES);
	if (!h) {
		kvfree(netcfg);
		return -ENOMEM;
	}
	h->flags = flags;
	if (netcfg)
		h->net = CKPT_NET_CONFIG;
	if (flags & CKPT_NS_UTS) {
		down_read(&uts_sem);
		strscpy(h->nodename, root.uts->name.nodename, sizeof(h->nodename));
		strscpy(h->domainname, root.uts->name.domainname,
			sizeof(h->domainname));
		up_read(&uts_sem);
	}
	err = ckpt_write_record(ctx, &h->h);
	if (!err && netcfg)
		err = ckpt_write_record(ctx, &netcfg->h);
	kvfree(netcfg);
	kvfree(h);
	return err ?: ckpt_write_ipc(ctx, ctx->ipc) ?:
		      ckpt_write_mqueues(ctx, ctx->ipc);
}

/**
 * ckpt_read_namespaces - read and check the namespaces record, if any
 * @ctx:	restart context, with the tree read
 *
 * Keeps it in @ctx for ckpt_restore_namespaces().
 *
 * Return: 0 or a negative errno.
 */
int ckpt_read_namespaces(struct ckpt_ctx *ctx)
{
	struct ckpt_hdr_namespaces *h;
	u32 type;
	int err;

	err = ckpt_peek_type(ctx, &type);
	if (err || type != CKPT_HDR_NAMESPACES)
		return err;
	h = ckpt_read_record(ctx, CKPT_HDR_NAMESPACES, sizeof(*h), sizeof(*h));
	if (IS_ERR(h))
		return PTR_ERR(h);
	if (!h->flags || (h->flags & ~CKPT_NS_ALL))
		err = ckpt_err(ctx, -EINVAL, "flags %#x", h->flags);
	else if (h->flags & CKPT_NS_NET ? h->net & ~CKPT_NET_ALL ||
		 h->net == CKPT_NET_ALL : h->net)
		err = ckpt_err(ctx, -EINVAL, "network namespace flags %#x",
			       h->net);
	else if (h->flags & CKPT_NS_UTS)
		err = ckpt_check_string(ctx, h->nodename, sizeof(h->nodename),
					"nodename") ?:
		      ckpt_check_string(ctx, h->domainname,
					sizeof(h->domainname), "domainname");
	else
		err = ckpt_check_zero(ctx, h->nodename, sizeof(h->nodename),
				      "nodename") ?:
		      ckpt_check_zero(ctx, h->domainname,
				      sizeof(h->domainname), "domainname");
	err = err ?: ckpt_check_zero(ctx, h->_pad2, sizeof(h->_pad2), "_pad2");
	if (!err && h->net & CKPT_NET_CONFIG)
		err = ckpt_net_read(ctx);
	if (err) {
		kvfree(h);
		return err;
	}
	ctx->ns = h;
	return 0;
}

/**
 * ckpt_restore_namespaces - give the root of a restart its namespaces
 * @ctx:	restart context
 *
 * Called by the root task before it creates others.  Making them needs
 * CAP_SYS_ADMIN in the caller's user namespace, as unshare(2) does.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_restore_namespaces(struct ckpt_ctx *ctx)
{
	const struct ckpt_hdr_namespaces *h = ctx->ns;
	unsigned long flags = 0;
	struct new_utsname *u;
	struct net *outer;
	int err;

	if (!h)
		return 0;
	if (h->flags & CKPT_NS_UTS)
		flags |= CLONE_NEWUTS;
	if (h->flags & CKPT_NS_IPC)
		flags |= CLONE_NEWIPC;
	if (h->flags & CKPT_NS_NET)
		flags |= CLONE_NEWNET;
	outer = get_net(current->nsproxy->net_ns);
	err = ksys_unshare(flags);
	/*
	 * The flags are valid: some setups of a network namespace that
	 * fail to allocate say EINVAL, which is kept for a bad image.
	 */
	if (err == -EINVAL)
		err = -ENOMEM;
	if (err) {
		put_net(outer);
		return ckpt_err(ctx, err, "cannot make the namespaces of the tasks (%s%s%s)",
				h->flags & CKPT_NS_UTS ? "UTS " : "",
				h->flags & CKPT_NS_IPC ? "IPC " : "",
				h->flags & CKPT_NS_NET ? "network" : "");
	}
	if (h->flags & CKPT_NS_NET) {
		ctx->own_net = true;
		err = ckpt_net_restore(ctx, h->net, outer);
	}
	put_net(outer);
	if (err)
		return err;
	if (h->flags & CKPT_NS_UTS) {
		down_write(&uts_sem);
		u = utsname();
		strscpy(u->nodename, h->nodename, sizeof(u->nodename));
		strscpy(u->domainname, h->domainname, sizeof(u->domainname));
		up_write(&uts_sem);
		uts_proc_notify(UTS_PROC_HOSTNAME);
		uts_proc_notify(UTS_PROC_DOMAINNAME);
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: credentials.
 *
 * A struct cred is an object: tasks that share one share one record.
 * User and group ids are written as seen from the user namespace of the
 * task that calls checkpoint(2), and read back in the user namespace of
 * the task that calls restart(2); an id that has no mapping there makes
 * the call fail.  Capability sets are written as they are.
 *
 * Restoring a cred only builds it.  Whether the restarting user may
 * give it to a task is decided when the task is restored.
 */

#include <linux/capability.h>
#include <linux/checkpoint.h>
#include <linux/cred.h>
#include <linux/sched/user.h>
#include <linux/securebits.h>
#include <linux/slab.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>

static void ckpt_cred_grab(void *ptr)
{
	get_cred(ptr);
}

static void ckpt_cred_drop(void *ptr)
{
	put_cred(ptr);
}

static int ckpt_uid(struct ckpt_ctx *ctx, kuid_t kuid, __u32 *uid)
{
	*uid = from_kuid(current_user_ns(), kuid);
	if (*uid == (uid_t)-1)
		return ckpt_err(ctx, -EOVERFLOW,
				"a uid of a task has no mapping in the caller's user namespace");
	return 0;
}

static int ckpt_gid(struct ckpt_ctx *ctx, kgid_t kgid, __u32 *gid)
{
	*gid = from_kgid(current_user_ns(), kgid);
	if (*gid == (gid_t)-1)
		return ckpt_err(ctx, -EOVERFLOW,
				"a gid of a task has no mapping in the caller's user namespace");
	return 0;
}

static int ckpt_cred_checkpoint(struct ckpt_ctx *ctx, void *ptr, u32 objref)
{
	const struct cred *cred = ptr;
	struct group_info *gi = cred->group_info;
	struct ckpt_hdr_cred *h;
	__u32 *groups;
	int err, i;

	if (gi->ngroups > CKPT_CRED_MAX_GROUPS)
		return ckpt_err(ctx, -E2BIG, "a task is in %d groups, more than %d",
				gi->ngroups, CKPT_CRED_MAX_GROUPS);

	h = ckpt_hdr_alloc(sizeof(*h) + gi->ngroups * sizeof(__u32),
			   CKPT_HDR_CRED);
	if (!h)
		return -ENOMEM;
	h->h.objref = objref;
	err = ckpt_uid(ctx, cred->uid, &h->uid) ?:
	      ckpt_uid(ctx, cred->euid, &h->euid) ?:
	      ckpt_uid(ctx, cred->suid, &h->suid) ?:
	      ckpt_uid(ctx, cred->fsuid, &h->fsuid) ?:
	      ckpt_gid(ctx, cred->gid, &h->gid) ?:
	      ckpt_gid(ctx, cred->egid, &h->egid) ?:
	      ckpt_gid(ctx, cred->sgid, &h->sgid) ?:
	      ckpt_gid(ctx, cred->fsgid, &h->fsgid);
	if (err)
		goto out;

	h->cap_inheritable = cred->cap_inheritable.val;
	h->cap_permitted = cred->cap_permitted.val;
	h->cap_effective = cred->cap_effective.val;
	h->cap_bset = cred->cap_bset.val;
	h->cap_ambient = cred->cap_ambient.val;
	h->securebits = cred->securebits;
	h->ngroups = gi->ngroups;
	groups = (__u32 *)(h + 1);
	for (i = 0; i < gi->ngroups; i++)
		groups[i] = from_kgid(current_user_ns(), gi->gid[i]);
	BUILD_BUG_ON(CKPT_GROUP_UNMAPPED != (gid_t)-1);
	err = ckpt_write_record(ctx, &h->h.h);
out:
	kvfree(h);
	return err;
}

static int restore_uid(struct ckpt_ctx *ctx, __u32 uid, kuid_t *kuid,
		       const char *field)
{
	*kuid = make_kuid(current_user_ns(), uid);
	if (!uid_valid(*kuid))
		return ckpt_err(ctx, -EINVAL,
				"field %s: uid %u has no mapping in the caller's user namespace",
				field, uid);
	return 0;
}

static int restore_gid(struct ckpt_ctx *ctx, __u32 gid, kgid_t *kgid,
		       const char *field)
{
	*kgid = make_kgid(current_user_ns(), gid);
	if (!gid_valid(*kgid))
		return ckpt_err(ctx, -EINVAL,
				"field %s: gid %u has no mapping in the caller's user namespace",
				field, gid);
	return 0;
}

static int restore_cap(struct ckpt_ctx *ctx, __u64 val, kernel_cap_t *cap,
		       const char *field)
{
	if (val & ~CAP_VALID_MASK)
		return ckpt_err(ctx, -EINVAL, "field %s: unknown capabilities %#llx",
				field, val & ~CAP_VALID_MASK);
	cap->val = val;
	return 0;
}

/*
 * Whether the groups of @h are the caller's as far as its user namespace
 * can tell: the same that it can name, as many times each, and as many
 * that it cannot.  Both lists are short (CKPT_CRED_MAX_GROUPS).
 */
static int restore_groups_callers(const struct ckpt_hdr_cred *h, bool *same)
{
	const struct group_info *mine = current_cred()->group_info;
	struct user_namespace *ns = current_user_ns();
	const __u32 *groups = (const __u32 *)(h + 1);
	struct group_info *gi;
	int i, j = 0, n = 0;
	kgid_t gid;

	*same = false;
	if (h->ngroups != mine->ngroups)
		return 0;
	gi = groups_alloc(h->ngroups);
	if (!gi)
		return -ENOMEM;
	for (i = 0; i < h->ngroups; i++) {
		gid = make_kgid(ns, groups[i]);
		if (gid_valid(gid))
			gi->gid[n++] = gid;
	}
	gi->ngroups = n;
	groups_sort(gi);
	/* The caller's are sorted too, as setgroups(2) leaves them. */
	for (i = 0; i < mine->ngroups; i++) {
		if (!kgid_has_mapping(ns, mine->gid[i]))
			continue;
		if (j == n || !gid_eq(mine->gid[i], gi->gid[j]))
			goto out;
		j++;
	}
	*same = j == n;
out:
	put_group_info(gi);
	return 0;
}

/*
 * The supplementary groups of the image.  Those the caller's user
 * namespace cannot name (CKPT_GROUP_UNMAPPED, or gids it does not map),
 * as in a namespace an unprivileged user made, can only be the caller's
 * own: the image's are taken as the caller's if they are those as far as
 * it can tell.  Else they must all have a mapping, and be the caller's
 * unless it may call setgroups(2) (ckpt_cred_may_restore()).
 */
static int restore_groups(struct ckpt_ctx *ctx, struct cred *new,
			  const struct ckpt_hdr_cred *h)
{
	const __u32 *groups = (const __u32 *)(h + 1);
	struct group_info *gi;
	bool same;
	int err, i;

	/* prepare_creds() gave @new the caller's. */
	err = restore_groups_callers(h, &same);
	if (err || same)
		return err;

	gi = groups_alloc(h->ngroups);
	if (!gi)
		return -ENOMEM;
	for (i = 0; i < h->ngroups; i++) {
		err = restore_gid(ctx, groups[i], &gi->gid[i], "groups");
		if (err) {
			put_group_info(gi);
			return err;
		}
	}
	groups_sort(gi);
	set_groups(new, gi);
	put_group_info(gi);
	return 0;
}

/*
 * Charge the task to the user of its real uid, as setresuid(2) does:
 * RLIMIT_NPROC and the ucounts follow the real uid.
 */
static int restore_user(struct cred *new)
{
	struct user_struct *user;

	if (uid_eq(new->uid, new->user->uid))
		return 0;
	user = alloc_uid(new->uid);
	if (!user)
		return -EAGAIN;
	free_uid(new->user);
	new->user = user;
	return set_cred_ucounts(new);
}

static void *ckpt_cred_restore(struct ckpt_ctx *ctx, struct ckpt_hdr *hdr)
{
	struct ckpt_hdr_cred *h = container_of(hdr, struct ckpt_hdr_cred, h.h);
	struct cred *new;
	int err;

	if (h->ngroups > CKPT_CRED_MAX_GROUPS)
		return ERR_PTR(ckpt_err(ctx, -E2BIG, "ngroups %u is above %u",
					h->ngroups, CKPT_CRED_MAX_GROUPS));
	if (h->h.h.len != sizeof(*h) + h->ngroups * sizeof(__u32))
		return ERR_PTR(ckpt_err(ctx, -EINVAL,
					"length %u does not match ngroups %u",
					h->h.h.len, h->ngroups));
	if (h->securebits & ~(SECURE_ALL_BITS | SECURE_ALL_LOCKS))
		return ERR_PTR(ckpt_err(ctx, -EINVAL, "unknown securebits %#x",
					h->securebits));

	new = prepare_creds();
	if (!new)
		return ERR_PTR(-ENOMEM);
	err = restore_uid(ctx, h->uid, &new->uid, "uid") ?:
	      restore_uid(ctx, h->euid, &new->euid, "euid") ?:
	      restore_uid(ctx, h->suid, &new->suid, "suid") ?:
	      restore_uid(ctx, h->fsuid, &new->fsuid, "fsuid") ?:
	      restore_gid(ctx, h->gid, &new->gid, "gid") ?:
	      restore_gid(ctx, h->egid, &new->egid, "egid") ?:
	      restore_gid(ctx, h->sgid, &new->sgid, "sgid") ?:
	      restore_gid(ctx, h->fsgid, &new->fsgid, "fsgid") ?:
	      restore_cap(ctx, h->cap_inheritable, &new->cap_inheritable,
			  "cap_inheritable") ?:
	      restore_cap(ctx, h->cap_permitted, &new->cap_permitted,
			  "cap_permitted") ?:
	      restore_cap(ctx, h->cap_effective, &new->cap_effective,
			  "cap_effective") ?:
	      restore_cap(ctx, h->cap_bset, &new->cap_bset, "cap_bset") ?:
	      restore_cap(ctx, h->cap_ambient, &new->cap_ambient, "cap_ambient") ?:
	      restore_groups(ctx, new, h);
	if (err) {
		abort_creds(new);
		return ERR_PTR(err);
	}
	new->securebits = h->securebits;
	err = restore_user(new);
	if (err) {
		abort_creds(new);
		return ERR_PTR(err);
	}
	return new;
}

static bool ckpt_uid_held(const struct cred *old, kuid_t uid)
{
	return uid_eq(uid, old->uid) || uid_eq(uid, old->euid) ||
	       uid_eq(uid, old->suid);
}

static bool ckpt_gid_held(const struct cred *old, kgid_t gid)
{
	return gid_eq(gid, old->gid) || gid_eq(gid, old->egid) ||
	       gid_eq(gid, old->sgid);
}

static bool ckpt_groups_equal(const struct group_info *a,
			      const struct group_info *b)
{
	int i;

	if (a->ngroups != b->ngroups)
		return false;
	for (i = 0; i < a->ngroups; i++)
		if (!gid_eq(a->gid[i], b->gid[i]))
			return false;
	return true;
}

/**
 * ckpt_cred_may_restore - may the restarting task give @new to a task?
 * @ctx:	restart context
 * @new:	credentials built from the image
 *
 * Only credentials the caller could take itself with setresuid(2),
 * setresgid(2), setgroups(2) and capset(2) are allowed: every id one of
 * its own unless it has CAP_SETUID or CAP_SETGID, its own supplementary
 * groups unless it may call setgroups(2) (which a user namespace can
 * deny: dropping a group can grant access), capabilities a subset of its
 * own, no ambient capability it lacks, and its own securebits.  Restart
 * never grants a right the caller does not hold.
 *
 * The LSM hooks of those calls are not run yet, so a policy such as
 * SafeSetID that restricts a CAP_SETUID holder is not applied.
 *
 * Return: 0, or -EPERM after naming the field that is refused.
 */
int ckpt_cred_may_restore(struct ckpt_ctx *ctx, const struct cred *new)
{
	const struct cred *old = current_cred();
	bool setuid = ns_capable_setid(old->user_ns, CAP_SETUID);
	bool setgid = ns_capable_setid(old->user_ns, CAP_SETGID);

	if (!setuid && (!ckpt_uid_held(old, new->uid) ||
			!ckpt_uid_held(old, new->euid) ||
			!ckpt_uid_held(old, new->suid) ||
			!ckpt_uid_held(old, new->fsuid)))
		return ckpt_err(ctx, -EPERM, "the image's uids are not the caller's");
	if (!setgid && (!ckpt_gid_held(old, new->gid) ||
			!ckpt_gid_held(old, new->egid) ||
			!ckpt_gid_held(old, new->sgid) ||
			!ckpt_gid_held(old, new->fsgid)))
		return ckpt_err(ctx, -EPERM, "the image's gids are not the caller's");
	if (!ckpt_groups_equal(old->group_info, new->group_info) &&
	    !may_setgroups())
		return ckpt_err(ctx, -EPERM,
				"the image's supplementary groups are not the caller's");
	/* capset(2)'s rules, and no ambient capability raised. */
	if (!cap_issubset(new->cap_permitted, old->cap_permitted) ||
	    !cap_issubset(new->cap_bset, old->cap_bset) ||
	    !cap_issubset(new->cap_inheritable,
			  cap_combine(old->cap_inheritable, old->cap_permitted)) ||
	    !cap_issubset(new->cap_inheritable,
			  cap_combine(old->cap_inheritable, old->cap_bset)) ||
	    !cap_issubset(new->cap_effective, new->cap_permitted) ||
	    !cap_issubset(new->cap_ambient, old->cap_ambient) ||
	    !cap_issubset(new->cap_ambient,
			  cap_intersect(new->cap_permitted,
					new->cap_inheritable)))
		return ckpt_err(ctx, -EPERM,
				"the image's capabilities are not a subset of the caller's");
	/* Securebits and their locks are kept as the caller has them. */
	if (new->securebits != old->securebits)
		return ckpt_err(ctx, -EPERM,
				"the image's securebits %#x are not the caller's %#x",
				new->securebits, old->securebits);
	return 0;
}

const struct ckpt_obj_ops ckpt_cred_ops = {
	.type = CKPT_HDR_CRED,
	.name = "cred",
	.min_len = sizeof(struct ckpt_hdr_cred),
	.max_len = sizeof(struct ckpt_hdr_cred) +
		   CKPT_CRED_MAX_GROUPS * sizeof(__u32),
	.grab = ckpt_cred_grab,
	.drop = ckpt_cred_drop,
	.checkpoint = ckpt_cred_checkpoint,
	.restore = ckpt_cred_restore,
	.release = ckpt_cred_drop,
};

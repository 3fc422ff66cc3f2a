// SPDX-License-Identifier: GPL-2.0
/*
 * Processes that share their parent's address space: made by clone(2)
 * with CLONE_VM, with CLONE_VM | CLONE_SIGHAND, by vfork(), and by
 * clone(2) with CLONE_VFORK alone (a copy, but the parent waits).
 *
 * The target forks the child of its kind, which reports its pid and
 * waits for a byte; the target waits for it in wait4(2), or in the
 * vfork() itself.  Once let go, the child maps a page and fills it,
 * writes a word of the target's data, sets a handler for SIGUSR1 and
 * exits 42.  The target then reports what its call returned, the child's
 * status and what it sees of the child's doings: all of them through a
 * shared address space, the handler only through shared handlers.
 *
 * After the checkpoint, and after each of two restarts from one image,
 * the two share what they shared (kcmp(2)), the vfork() parent is
 * asleep in vfork() ('D') and its call returns the child's pid, and the
 * child's doings show in the target as before.  A restored tree
 * checkpointed again gives the same image of it.  The tree record says
 * what the child shares; a vfork() parent's registers show the call
 * returning the child's pid.  An image edited to say otherwise than the
 * task records is refused, and leaves no task behind.
 *
 * Refused, the target running on unharmed: a process sharing the mm of
 * another that is not its parent (CLONE_PARENT), a vfork() parent saved
 * without its child, a vfork() child without its parent, and a vfork()
 * of a thread other than the main one.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/kcmp.h>

#include "../kselftest_harness.h"
#include "checkpoint_util.h"

#define CTL_FD		60
#define RES_FD		61
#define WAIT_MS		60000
#define WORD		0x5eed
#define FILL		0x5a
#define STACK_SIZE	(256 << 10)

enum kind { K_CLONE_VM, K_CLONE_SIGHAND, K_VFORK, K_VFORK_COPY };

static enum kind target_kind;
/* Written by the child, read by the target once the child exited. */
static int shared_word;
static char *new_map;
static long psz;

struct vm_report {
	pid_t child;		/* first report, by the child */
	pid_t ret;		/* what the target's call returned */
	int status;		/* of the child */
	int word;		/* shared_word after the child exited */
	int map_ok;		/* the child's new page, filled */
	int handler_ok;		/* the child's handler of SIGUSR1 */
};

static void on_usr1(int sig)
{
}

/* The child: report, wait, then change what it shares, and exit 42. */
static void __noreturn child_body(void)
{
	struct vm_report r = { .child = getpid() };
	struct sigaction sa = { .sa_handler = on_usr1 };
	char c, *p;

	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(93);
	if (read(CTL_FD, &c, 1) != 1)
		_exit(94);
	p = mmap(NULL, psz, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED) {
		memset(p, FILL, psz);
		__atomic_store_n(&new_map, p, __ATOMIC_SEQ_CST);
	}
	__atomic_store_n(&shared_word, WORD, __ATOMIC_SEQ_CST);
	sigaction(SIGUSR1, &sa, NULL);
	_exit(42);
}

static int clone_fn(void *arg)
{
	child_body();
}

/* The target's report once its child exited. */
static void __noreturn target_report(pid_t c)
{
	struct vm_report r = { .ret = c, .status = -1 };
	struct sigaction sa;
	char *map;
	long i;

	if (c > 0 && waitpid(c, &r.status, 0) != c)
		r.status = -2;
	r.word = __atomic_load_n(&shared_word, __ATOMIC_SEQ_CST);
	map = __atomic_load_n(&new_map, __ATOMIC_SEQ_CST);
	r.map_ok = !!map;
	for (i = 0; map && i < psz; i++)
		if (map[i] != FILL)
			r.map_ok = 0;
	r.handler_ok = !sigaction(SIGUSR1, NULL, &sa) &&
		       sa.sa_handler == on_usr1;
	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(95);
	_exit(0);
}

static void target(void)
{
	static char *stack;
	pid_t c = -1;

	switch (target_kind) {
	case K_CLONE_VM:
	case K_CLONE_SIGHAND:
		stack = malloc(STACK_SIZE);
		if (!stack)
			_exit(96);
		c = clone(clone_fn, stack + STACK_SIZE,
			  CLONE_VM | SIGCHLD |
			  (target_kind == K_CLONE_SIGHAND ? CLONE_SIGHAND : 0),
			  NULL);
		break;
	case K_VFORK:
		c = vfork();
		if (!c)
			child_body();
		break;
	case K_VFORK_COPY:
		c = syscall(SYS_clone, CLONE_VFORK | SIGCHLD, 0, NULL, NULL, 0);
		if (!c)
			child_body();
		break;
	}
	target_report(c);
}

struct vm_kind {
	enum kind kind;
	long parent_nr;		/* the call the target waits in */
	__u32 pids_flags;	/* the child's in the tree record */
	bool share_vm, share_sighand, vfork;
};

static const struct vm_kind clone_vm_kind = {
	.kind = K_CLONE_VM,
	.parent_nr = __NR_wait4,
	.pids_flags = CKPT_PIDS_SHARE_VM,
	.share_vm = true,
};

static const struct vm_kind clone_sighand_kind = {
	.kind = K_CLONE_SIGHAND,
	.parent_nr = __NR_wait4,
	.pids_flags = CKPT_PIDS_SHARE_VM | CKPT_PIDS_SHARE_SIGHAND,
	.share_vm = true,
	.share_sighand = true,
};

static const struct vm_kind vfork_kind = {
	.kind = K_VFORK,
	.parent_nr = __NR_vfork,
	.pids_flags = CKPT_PIDS_SHARE_VM | CKPT_PIDS_VFORK,
	.share_vm = true,
	.vfork = true,
};

static const struct vm_kind vfork_copy_kind = {
	.kind = K_VFORK_COPY,
	.parent_nr = __NR_clone,
	.pids_flags = CKPT_PIDS_VFORK,
	.vfork = true,
};

static int sys_kcmp(pid_t a, pid_t b, int type)
{
	return syscall(SYS_kcmp, a, b, type, 0, 0);
}

/* Start the target of @kind; its child's pid in *@child. */
static pid_t start_target(struct __test_metadata *_metadata,
			  struct piped_child *pc, const struct vm_kind *k,
			  pid_t *child)
{
	struct vm_report r;

	psz = sysconf(_SC_PAGESIZE);
	target_kind = k->kind;
	pc->pid = -1;
	if (piped_child_fork(pc, CTL_FD, RES_FD, target) < 0)
		return -1;
	if (read_within(pc->res, &r, sizeof(r), WAIT_MS))
		return -1;
	*child = r.child;
	if (wait_in_read(*child) || wait_in_syscall(pc->pid, k->parent_nr))
		return -1;
	return pc->pid;
}

/*
 * @parent and @child as @k made them, sleeping where they were saved:
 * let the child go and judge the target's report.
 */
static void check_shared(struct __test_metadata *_metadata,
			 const struct vm_kind *k, pid_t parent, pid_t child,
			 int ctl, int res)
{
	struct vm_report r;
	pid_t ppid;
	char state;

	ASSERT_EQ(0, wait_in_syscall(parent, k->parent_nr));
	ASSERT_EQ(0, wait_in_read(child));
	EXPECT_EQ(k->share_vm, sys_kcmp(parent, child, KCMP_VM) == 0);
	EXPECT_EQ(k->share_sighand,
		  sys_kcmp(parent, child, KCMP_SIGHAND) == 0);
	EXPECT_NE(0, sys_kcmp(parent, child, KCMP_FILES));
	ASSERT_EQ(0, proc_stat(child, &state, &ppid));
	EXPECT_EQ(parent, ppid);
	ASSERT_EQ(0, proc_stat(parent, &state, &ppid));
	if (k->vfork)
		EXPECT_EQ('D', state);

	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(0, read_within(res, &r, sizeof(r), WAIT_MS));
	EXPECT_EQ(child, r.ret);
	EXPECT_TRUE(WIFEXITED(r.status));
	EXPECT_EQ(42, WEXITSTATUS(r.status));
	EXPECT_EQ(k->share_vm ? WORD : 0, r.word);
	EXPECT_EQ(k->share_vm, r.map_ok);
	EXPECT_EQ(k->share_sighand, r.handler_ok);
}

/* The tree entry of @pid in @img, or NULL. */
static struct ckpt_pids *image_entry(const struct ckpt_image *img, pid_t pid)
{
	struct ckpt_hdr_tree *t = image_tree(img);
	struct ckpt_pids *p = image_pids(img);
	__u32 i;

	for (i = 0; t && i < t->nr_tasks; i++)
		if (p[i].pid == pid)
			return &p[i];
	return NULL;
}

static void check_image(struct __test_metadata *_metadata,
			const struct ckpt_image *img, const struct vm_kind *k,
			pid_t parent, pid_t child)
{
	struct ckpt_hdr_x86_regs *regs;
	struct ckpt_pids *p;

	p = image_entry(img, parent);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(0, p->flags);
	p = image_entry(img, child);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(parent, p->ppid);
	EXPECT_EQ(k->pids_flags, p->flags);
	/* The root's registers come first. */
	regs = image_rec(img, CKPT_HDR_X86_REGS, 0);
	ASSERT_NE(NULL, regs);
	EXPECT_EQ(k->parent_nr, (long)regs->orig_ax);
	if (k->vfork)
		EXPECT_EQ(child, (pid_t)regs->ax);
}

struct round_arg {
	struct __test_metadata *md;
	const struct vm_kind *k;
	pid_t parent, child;
};

/*
 * A restored tree is as the first: checkpointed again (the first time),
 * it gives the same tree record and registers; then it goes on.
 */
static void check_round(struct restart_round *rr, void *arg)
{
	struct round_arg *a = arg;
	struct __test_metadata *_metadata = a->md;
	struct ckpt_image again = { };
	char log[CKPT_LOG_SIZE];
	int status;

	EXPECT_EQ(a->parent, rr->root);
	if (!rr->round) {
		ASSERT_EQ(0, wait_in_read(a->child));
		EXPECT_LT(0, checkpoint_image(rr->root, 0, &again, log,
					      sizeof(log)))
			TH_LOG("%s", log);
		check_image(_metadata, &again, a->k, a->parent, a->child);
		image_free(&again);
	}
	check_shared(_metadata, a->k, rr->root, a->child, rr->ctl, rr->res);
	ASSERT_EQ(rr->root, waitpid(rr->root, &status, 0));
	EXPECT_EQ(0, status);
}

/* A restart that should have failed: end it. */
static void kill_round(struct restart_round *rr, void *arg)
{
	kill(rr->root, SIGKILL);
	waitpid(rr->root, NULL, 0);
}

/*
 * Restart a copy of @img whose child entry has @flags: refused with
 * @err, and nothing of the tree is left.
 */
static void restart_edited(struct __test_metadata *_metadata,
			   const struct ckpt_image *img, pid_t parent,
			   pid_t child, __u32 flags, long err, const char *msg)
{
	struct ckpt_image copy = { };
	char log[CKPT_LOG_SIZE];
	pid_t live = -1;
	long ret;

	ASSERT_EQ(0, image_copy(&copy, img));
	image_entry(&copy, child)->flags = flags;
	ret = restart_rounds(&copy, 1, CTL_FD, RES_FD, log, sizeof(log),
			     &live, kill_round, NULL);
	EXPECT_EQ(err, ret) TH_LOG("%s", log);
	EXPECT_NE(NULL, strstr(log, msg)) TH_LOG("%s", log);
	EXPECT_EQ(-1, kill(parent, 0));
	EXPECT_EQ(-1, kill(child, 0));
	image_free(&copy);
}

FIXTURE(shared) {
	struct piped_child pc;
	pid_t child;
};

FIXTURE_VARIANT(shared) {
	const struct vm_kind *kind;
	int restarts;		/* 0: the target goes on after the checkpoint */
};

FIXTURE_VARIANT_ADD(shared, clone_vm_continues) {
	.kind = &clone_vm_kind,
};

FIXTURE_VARIANT_ADD(shared, clone_vm_restarts_twice) {
	.kind = &clone_vm_kind,
	.restarts = 2,
};

FIXTURE_VARIANT_ADD(shared, clone_sighand_continues) {
	.kind = &clone_sighand_kind,
};

FIXTURE_VARIANT_ADD(shared, clone_sighand_restarts_twice) {
	.kind = &clone_sighand_kind,
	.restarts = 2,
};

FIXTURE_VARIANT_ADD(shared, vfork_continues) {
	.kind = &vfork_kind,
};

FIXTURE_VARIANT_ADD(shared, vfork_restarts_twice) {
	.kind = &vfork_kind,
	.restarts = 2,
};

FIXTURE_VARIANT_ADD(shared, vfork_copy_continues) {
	.kind = &vfork_copy_kind,
};

FIXTURE_VARIANT_ADD(shared, vfork_copy_restarts_twice) {
	.kind = &vfork_copy_kind,
	.restarts = 2,
};

FIXTURE_SETUP(shared)
{
	ASSERT_LT(0, start_target(_metadata, &self->pc, variant->kind,
				  &self->child));
}

FIXTURE_TEARDOWN(shared)
{
	if (self->child > 0)
		kill(self->child, SIGKILL);
	piped_child_end(&self->pc);
}

TEST_F_TIMEOUT(shared, restored, 120)
{
	const struct vm_kind *k = variant->kind;
	pid_t pid = self->pc.pid, child = self->child;
	struct round_arg a = { _metadata, k, pid, child };
	int status;

	if (!variant->restarts) {
		ASSERT_LT(0, checkpoint_image(pid, 0, &self->pc.img,
					      self->pc.log,
					      sizeof(self->pc.log)))
			TH_LOG("%s", self->pc.log);
		check_image(_metadata, &self->pc.img, k, pid, child);
		check_shared(_metadata, k, pid, child, self->pc.ctl,
			     self->pc.res);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		self->pc.pid = -1;
		EXPECT_EQ(0, status);
		return;
	}
	ASSERT_LT(0, checkpoint_image(pid, CHECKPOINT_KILL, &self->pc.img,
				      self->pc.log, sizeof(self->pc.log)))
		TH_LOG("%s", self->pc.log);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	self->pc.pid = -1;
	close(self->pc.ctl);
	close(self->pc.res);
	check_image(_metadata, &self->pc.img, k, pid, child);

	/* What the tree says must be what the task records do. */
	if (k->share_vm)
		restart_edited(_metadata, &self->pc.img, pid, child,
			       k->pids_flags & CKPT_PIDS_VFORK, -EOPNOTSUPP,
			       "other than its parent");
	else
		restart_edited(_metadata, &self->pc.img, pid, child,
			       k->pids_flags | CKPT_PIDS_SHARE_VM, -EINVAL,
			       "which its records define anew");
	restart_edited(_metadata, &self->pc.img, pid, child,
		       CKPT_PIDS_SHARE_SIGHAND, -EINVAL,
		       "shares the signal handlers but not the mm");

	ASSERT_LT(0, restart_rounds(&self->pc.img, variant->restarts, CTL_FD,
				    RES_FD, self->pc.log, sizeof(self->pc.log),
				    &self->pc.pid, check_round, &a))
		TH_LOG("%s", self->pc.log);
}

/* A child that shares its mm with its sibling (CLONE_PARENT) is refused. */
static int sibling_fn(void *arg)
{
	int r = getpid();
	char c;

	if (write(RES_FD, &r, sizeof(r)) != sizeof(r))
		_exit(93);
	_exit(read(CTL_FD, &c, 1) == 1 ? 0 : 94);
}

static void sibling_target(void)
{
	static char *stack;
	pid_t a;
	char c;

	a = fork();
	if (!a) {
		stack = malloc(STACK_SIZE);
		if (!stack ||
		    clone(sibling_fn, stack + STACK_SIZE,
			  CLONE_VM | CLONE_PARENT | SIGCHLD, NULL) < 0)
			_exit(96);
		_exit(read(CTL_FD, &c, 1) == 1 ? 0 : 94);
	}
	while (wait(NULL) > 0)
		;
	_exit(0);
}

TEST(clone_parent_refused)
{
	struct piped_child pc;
	pid_t sib;

	ASSERT_LT(0, piped_child_fork(&pc, CTL_FD, RES_FD, sibling_target));
	ASSERT_EQ(0, read_within(pc.res, &sib, sizeof(sib), WAIT_MS));
	ASSERT_EQ(0, wait_in_read(sib));
	ASSERT_EQ(0, wait_in_syscall(pc.pid, __NR_wait4));

	EXPECT_EQ(-EOPNOTSUPP, checkpoint_image(pc.pid, 0, NULL, pc.log,
						sizeof(pc.log)));
	EXPECT_NE(NULL, strstr(pc.log, "address space (CLONE_VM)"))
		TH_LOG("%s", pc.log);
	EXPECT_TRUE(log_has_number(pc.log, sib)) TH_LOG("%s", pc.log);

	/* Both children go on and exit, the target after them. */
	ASSERT_EQ(2, write(pc.ctl, "xx", 2));
	piped_child_reap(_metadata, &pc);
}

/* A vfork() parent is not saved without its child, nor the child alone. */
TEST(vfork_alone_refused)
{
	struct piped_child pc;
	pid_t child;

	ASSERT_LT(0, start_target(_metadata, &pc, &vfork_kind, &child));
	EXPECT_EQ(-EOPNOTSUPP, checkpoint_image(pc.pid, CHECKPOINT_SCOPE_TASK,
						NULL, pc.log, sizeof(pc.log)));
	EXPECT_NE(NULL, strstr(pc.log, "waits for a vfork() child that is not checkpointed"))
		TH_LOG("%s", pc.log);
	EXPECT_EQ(-EOPNOTSUPP, checkpoint_image(child, 0, NULL, pc.log,
						sizeof(pc.log)));
	EXPECT_NE(NULL, strstr(pc.log, "is a vfork() child whose parent"))
		TH_LOG("%s", pc.log);

	/* Both go on as if nothing happened. */
	check_shared(_metadata, &vfork_kind, pc.pid, child, pc.ctl, pc.res);
	piped_child_reap(_metadata, &pc);
}

/* A thread, not the main one, vforks and waits; the main one joins it. */
static void *vfork_thread(void *arg)
{
	pid_t c = vfork();

	if (!c)
		child_body();
	target_report(c);
}

static void thread_target(void)
{
	pthread_t th;

	psz = sysconf(_SC_PAGESIZE);
	if (pthread_create(&th, NULL, vfork_thread, NULL))
		_exit(96);
	pthread_join(th, NULL);
	_exit(97);
}

TEST(vfork_in_thread_refused)
{
	struct piped_child pc;
	struct vm_report r;

	ASSERT_LT(0, piped_child_fork(&pc, CTL_FD, RES_FD, thread_target));
	ASSERT_EQ(0, read_within(pc.res, &r, sizeof(r), WAIT_MS));
	ASSERT_EQ(0, wait_in_read(r.child));
	EXPECT_EQ(-EOPNOTSUPP, checkpoint_image(pc.pid, 0, NULL, pc.log,
						sizeof(pc.log)));
	EXPECT_NE(NULL, strstr(pc.log, "in a thread other than its main thread"))
		TH_LOG("%s", pc.log);

	ASSERT_EQ(1, write(pc.ctl, "x", 1));
	ASSERT_EQ(0, read_within(pc.res, &r, sizeof(r), WAIT_MS));
	EXPECT_LT(0, r.ret);
	EXPECT_TRUE(WIFEXITED(r.status));
	EXPECT_EQ(42, WEXITSTATUS(r.status));
	EXPECT_EQ(WORD, r.word);
	piped_child_reap(_metadata, &pc);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * Checkpoint/restart: x86_64 user registers and FPU state.
 *
 * The registers are read through the task's ptrace regsets, so they are
 * exactly what PTRACE_GETREGS and PTRACE_GETREGSET(NT_X86_XSTATE) show:
 * struct user_regs_struct, and the XSAVE area in standard format.  A
 * task is saved while it is held still (park.c) or stopped, so its
 * pt_regs are those of its last entry into the kernel and its FPU state
 * was saved to memory when it left the CPU.  The task that checkpoints
 * itself is saved as returning 0 from checkpoint(2).
 *
 * Only 64-bit tasks with flat segments are supported; others are
 * refused with a message.  Restart checks every register against what
 * PTRACE_SETREGS would accept, and the XSAVE area against this CPU.
 */

#include <linux/checkpoint.h>
#include <linux/elf.h>
#include <linux/pid.h>
#include <linux/regset.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <asm/fpu/api.h>
#include <asm/fpu/signal.h>
#include <asm/fpu/types.h>
#include <asm/pkru.h>
#include <asm/prctl.h>
#include <asm/proto.h>
#include <asm/vdso.h>
#include <asm/processor-flags.h>
#include <asm/ptrace.h>
#include <asm/segment.h>
#include <linux/user.h>

#include "fpu/internal.h"
#include "fpu/context.h"
#include "fpu/xstate.h"

static const struct user_regset *ckpt_regset(struct task_struct *t,
					     unsigned int note)
{
	const struct user_regset_view *view = task_user_regset_view(t);
	unsigned int i;

	for (i = 0; i < view->n; i++)
		if (view->regsets[i].core_note_type == note)
			return &view->regsets[i];
	return NULL;
}

static int ckpt_x86_regs(struct ckpt_ctx *ctx, struct task_struct *t,
			 pid_t pid)
{
	const struct user_regset *rs = ckpt_regset(t, NT_PRSTATUS);
	struct ckpt_hdr_x86_regs *h;
	long nr;
	int ret;

	if (!user_64bit_mode(task_pt_regs(t)) || !rs)
		return ckpt_err(ctx, -EOPNOTSUPP,
				"pid %d (%s) runs 32-bit code: not supported",
				pid, t->comm);
	BUILD_BUG_ON(sizeof(*h) - sizeof(h->h) != sizeof(struct user_regs_struct));

	h = ckpt_hdr_alloc(sizeof(*h), CKPT_HDR_X86_REGS);
	if (!h)
		return -ENOMEM;
	ret = regset_get(t, rs, sizeof(struct user_regs_struct), &h->r15);
	if (ret >= 0 && (h->ds || h->es || h->fs || h->gs))
		ret = ckpt_err(ctx, -EOPNOTSUPP,
			       "pid %d (%s) uses segment selectors: not supported",
			       pid, t->comm);
	if (ret >= 0) {
		if (t == current || ckpt_notify_waiting(ctx, t)) {
			/*
			 * It comes back as returning 0 from checkpoint(2), or
			 * what restart(2) chooses from PR_CHECKPOINT_READY.
			 */
			h->ax = 0;
			h->orig_ax = -1;
		} else if (ckpt_vfork_return(ctx, &nr)) {
			h->ax = nr;
		}
		ret = ckpt_write_record(ctx, &h->h);
	}
	kvfree(h);
	return ret;
}

static int ckpt_x86_xstate(struct ckpt_ctx *ctx, struct task_struct *t,
			   pid_t pid)
{
	const struct user_regset *rs = ckpt_regset(t, NT_X86_XSTATE);
	struct ckpt_hdr_x86_xstate *h;
	unsigned int size;
	u64 *xsave;
	int ret;

	if (!rs || !rs->n)
		return ckpt_err(ctx, -EOPNOTSUPP, "this CPU has no XSAVE");
	size = rs->n * rs->size;
	if (size > CKPT_X86_XSTATE_MAX)
		return ckpt_err(ctx, -E2BIG, "XSAVE area of %u bytes", size);

	h = ckpt_hdr_alloc(sizeof(*h) + size, CKPT_HDR_X86_XSTATE);
	if (!h)
		return -ENOMEM;
	xsave = (u64 *)(h + 1);
	ret = regset_get(t, rs, size, xsave);
	if (ret >= 0) {
		h->size = size;
		/* XCR0 as the kernel reports it in the software bytes. */
		h->xfeatures = xsave[ARRAY_SIZE(((struct user_xstateregs *)0)->i387.fpx_space) +
				     USER_XSTATE_XCR0_WORD];
		ret = ckpt_write_record(ctx, &h->h);
	}
	kvfree(h);
	return ret;
}

/* Write the architecture records of task @t, after its task record. */
int ckpt_write_arch(struct ckpt_ctx *ctx, struct task_struct *t)
{
	pid_t pid = task_pid_nr_ns(t, ctx->root_pidns);

	return ckpt_x86_regs(ctx, t, pid) ?: ckpt_x86_xstate(ctx, t, pid);
}

#define CKPT_X86_USER_FLAGS						\
	(X86_EFLAGS_CF | X86_EFLAGS_FIXED | X86_EFLAGS_PF | X86_EFLAGS_AF | \
	 X86_EFLAGS_ZF | X86_EFLAGS_SF | X86_EFLAGS_TF | X86_EFLAGS_IF |	\
	 X86_EFLAGS_DF | X86_EFLAGS_OF | X86_EFLAGS_RF | X86_EFLAGS_AC |	\
	 X86_EFLAGS_ID)

static int restore_check_x86_regs(struct ckpt_ctx *ctx,
				  const struct ckpt_hdr_x86_regs *h)
{
	if (h->cs != __USER_CS || h->ss != __USER_DS)
		return ckpt_err(ctx, -EINVAL, "cs %#llx or ss %#llx is not a 64-bit user segment",
				h->cs, h->ss);
	if (h->ds || h->es || h->fs || h->gs)
		return ckpt_err(ctx, -EINVAL, "segment selectors are not zero");
	if (h->ip >= TASK_SIZE_MAX || h->fs_base >= TASK_SIZE_MAX ||
	    h->gs_base >= TASK_SIZE_MAX)
		return ckpt_err(ctx, -EINVAL, "ip, fs_base or gs_base outside user space");
	if (h->flags & ~CKPT_X86_USER_FLAGS)
		return ckpt_err(ctx, -EINVAL, "flags %#llx has bits user space cannot set",
				h->flags);
	if ((s64)h->orig_ax < -1 || (s64)h->orig_ax >= NR_syscalls)
		return ckpt_err(ctx, -EINVAL, "orig_ax %lld is not a system call",
				(s64)h->orig_ax);
	return 0;
}

static int restore_check_x86_xstate(struct ckpt_ctx *ctx,
				    const struct ckpt_hdr_x86_xstate *h)
{
	const struct xregs_state *xs = (const void *)(h + 1);

	if (h->h.len != sizeof(*h) + h->size)
		return ckpt_err(ctx, -EINVAL, "length %u does not match size %u",
				h->h.len, h->size);
	if (h->size != fpu_user_cfg.max_size)
		return ckpt_err(ctx, -ENOEXEC, "XSAVE area of %u bytes, this CPU's has %u",
				h->size, fpu_user_cfg.max_size);
	if (h->xfeatures & ~fpu_user_cfg.max_features)
		return ckpt_err(ctx, -ENOEXEC,
				"saved with FPU features %#llx that this CPU lacks",
				h->xfeatures & ~fpu_user_cfg.max_features);
	if (xs->header.xfeatures & ~h->xfeatures || xs->header.xcomp_bv ||
	    memchr_inv(xs->header.reserved, 0, sizeof(xs->header.reserved)))
		return ckpt_err(ctx, -EINVAL, "bad XSAVE header");
	return ckpt_check_zero(ctx, &h->_pad, sizeof(h->_pad), "_pad");
}

/*
 * Restore: current is the task being rebuilt, still in the kernel
 * function restart(2) started it with.  Its registers are written to
 * its pt_regs, which it returns to user mode with; fs and gs base go
 * through arch_prctl's code, which also loads them into the CPU.
 *
 * The way back from such a function sets ax to 0 (see ret_from_fork()),
 * so the saved ax is put back by a task_work queued when the task is
 * let go: it runs on the way to user mode before the signal code looks
 * at ax and orig_ax, so an interrupted system call is restarted exactly
 * as it would have been without the checkpoint.
 */
struct ckpt_x86_finish {
	struct callback_head work;
	unsigned long ax;
};

static void ckpt_x86_finish(struct callback_head *work)
{
	struct ckpt_x86_finish *f = container_of(work, struct ckpt_x86_finish,
						 work);

	task_pt_regs(current)->ax = f->ax;
	kfree(f);
}

/* Make the task return @ret from the system call it was saved in. */
void ckpt_arch_set_return(struct callback_head *finish, long ret)
{
	struct ckpt_x86_finish *f = container_of(finish, struct ckpt_x86_finish,
						 work);

	f->ax = ret;
}

static int restore_x86_regs(struct ckpt_ctx *ctx,
			    const struct ckpt_hdr_x86_regs *h,
			    struct callback_head **finish)
{
	struct pt_regs *regs = task_pt_regs(current);
	struct ckpt_x86_finish *f;
	long err;

	f = kmalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	err = do_arch_prctl_64(current, ARCH_SET_FS, h->fs_base) ?:
	      do_arch_prctl_64(current, ARCH_SET_GS, h->gs_base);
	if (err) {
		kfree(f);
		return ckpt_err(ctx, err, "cannot set fs_base or gs_base");
	}

	regs->r15 = h->r15;
	regs->r14 = h->r14;
	regs->r13 = h->r13;
	regs->r12 = h->r12;
	regs->bp = h->bp;
	regs->bx = h->bx;
	regs->r11 = h->r11;
	regs->r10 = h->r10;
	regs->r9 = h->r9;
	regs->r8 = h->r8;
	regs->cx = h->cx;
	regs->dx = h->dx;
	regs->si = h->si;
	regs->di = h->di;
	regs->orig_ax = h->orig_ax;
	regs->ip = h->ip;
	regs->cs = __USER_CS;
	regs->flags = (h->flags & CKPT_X86_USER_FLAGS) | X86_EFLAGS_IF |
		      X86_EFLAGS_FIXED;
	regs->sp = h->sp;
	regs->ss = __USER_DS;
	regs->ax = h->ax;

	init_task_work(&f->work, ckpt_x86_finish);
	f->ax = h->ax;
	*finish = &f->work;
	return 0;
}

/* Load the saved XSAVE area into current's FPU state. */
static int restore_x86_xstate(struct ckpt_ctx *ctx,
			      const struct ckpt_hdr_x86_xstate *h)
{
	struct fpu *fpu = &current->thread.fpu;
	int err;

	fpregs_lock();
	err = copy_uabi_from_kernel_to_xstate(fpu->fpstate, h + 1,
					      &current->thread.pkru);
	/* The registers are stale now: reload them on the way out. */
	__fpu_invalidate_fpregs_state(fpu);
	set_thread_flag(TIF_NEED_FPU_LOAD);
	/* PKRU is not loaded from the fpstate: switch it now. */
	if (!err)
		write_pkru(current->thread.pkru);
	fpregs_unlock();
	if (err)
		return ckpt_err(ctx, err, "the XSAVE area does not load");
	return 0;
}

/**
 * ckpt_read_arch - read the architecture records that follow a task record
 * @ctx:	restart context
 * @finish:	when restoring: set to work to run on the way to user mode
 *
 * Return: 0 or a negative errno.
 */
int ckpt_read_arch(struct ckpt_ctx *ctx, struct callback_head **finish)
{
	struct ckpt_hdr_x86_xstate *xs;
	struct ckpt_hdr_x86_regs *regs;
	int err;

	regs = ckpt_read_record(ctx, CKPT_HDR_X86_REGS, sizeof(*regs),
				sizeof(*regs));
	if (IS_ERR(regs))
		return PTR_ERR(regs);
	err = restore_check_x86_regs(ctx, regs);
	if (!err && ckpt_restoring(ctx))
		err = restore_x86_regs(ctx, regs, finish);
	kvfree(regs);
	if (err)
		return err;

	xs = ckpt_read_record(ctx, CKPT_HDR_X86_XSTATE, sizeof(*xs),
			      sizeof(*xs) + CKPT_X86_XSTATE_MAX);
	if (IS_ERR(xs))
		return PTR_ERR(xs);
	err = restore_check_x86_xstate(ctx, xs);
	if (!err && ckpt_restoring(ctx))
		err = restore_x86_xstate(ctx, xs);
	kvfree(xs);
	return err;
}

/**
 * ckpt_arch_map_vdso - map the vDSO of current where the image had it
 * @vvar_start:	start of the saved [vvar] mapping
 * @vvar_end:	its end
 * @vdso_start:	start of the saved [vdso] mapping
 * @vdso_end:	its end
 *
 * The image must have been taken on a kernel with the same vDSO layout:
 * the process may hold pointers into it.
 *
 * Return: 0 or a negative errno.
 */
int ckpt_arch_map_vdso(u64 vvar_start, u64 vvar_end, u64 vdso_start,
		       u64 vdso_end)
{
	const struct vdso_image *image = &vdso_image_64;
	int err;

	if (vdso_end - vdso_start != image->size ||
	    vvar_end - vvar_start != -image->sym_vvar_start ||
	    vvar_end != vdso_start)
		return -ENOEXEC;
	err = map_vdso_once(image, vvar_start);
	if (err)
		return err;
	if (current->mm->context.vdso != (void __user *)vdso_start)
		return -EFAULT;
	return 0;
}

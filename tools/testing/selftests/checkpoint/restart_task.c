// SPDX-License-Identifier: GPL-2.0
/*
 * restart(2) of a single process: checkpoint a child blocked in read(2)
 * with known values in callee-saved and SSE registers, a pattern in
 * anonymous memory and a private file mapping with one page written,
 * kill it, and rebuild it from the image.  The restored process has the
 * same pid, its read() is restarted and completes, and it finds every
 * register and page as it left them: it says so with its exit status.
 *
 * Files are not restored yet: the restored process gets a copy of the
 * restarting process's descriptor table, so the test puts the pipe the
 * child reads from at the same descriptor number (CHILD_CTL_FD).
 *
 * It holds open files: the data file at an offset, a dup of it sharing
 * the offset, /dev/null close-on-exec (also at a descriptor above the
 * restarting process's RLIMIT_NOFILE) and a directory, with /tmp as its
 * working directory and a umask of its own.
 *
 * Its attributes: RLIMIT_NOFILE, nice, child subreaper, parent death
 * signal, no_new_privs, dumpable, transparent huge pages disabled, the
 * robust futex list and the rseq area glibc registered (cpu_id is
 * spoiled before the read: only a registered area gets it rewritten).
 *
 * ITIMER_REAL, ITIMER_VIRTUAL and ITIMER_PROF are armed and must keep
 * their intervals and most of their time left.
 *
 * The child also holds signal state: handlers, a blocked mask, one
 * queued signal for the thread and one for the process (both blocked),
 * and an alternate signal stack.  After its read() it checks them and
 * unblocks the signals, whose handlers must get the queued values.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/futex.h>
#include <linux/seccomp.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/rseq.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "checkpoint_util.h"
#include "../kselftest_harness.h"

#define CHILD_CTL_FD	100	/* the child reads a byte from this fd */
#define NR_DATA_PAGES	64
#define REGION_PAGES	512
#define FILE_PAGES	2
#define MAGIC_RBX	0x0123456789abcdefULL
#define MAGIC_R12	0x1122334455667788ULL
#define MAGIC_R13	0x8877665544332211ULL
#define MAGIC_R14	0x5a5a5a5aa5a5a5a5ULL
#define MAGIC_R15	0xfedcba9876543210ULL
#define EXIT_INTACT	42
#define EXIT_BAD_READ	43
#define EXIT_BAD_REGS	44
#define EXIT_BAD_SSE	45
#define EXIT_BAD_MEMORY	46
#define EXIT_BAD_FILE	47
#define EXIT_BAD_SIGNALS 48
#define EXIT_BAD_FILES	49
#define EXIT_BAD_TIMER	50
#define EXIT_BAD_ATTRS	51
#define CHILD_NICE	5
#define CHILD_NOFILE	1536	/* above the restarter's 1024 */
#define CHILD_NOFILE_MAX 2048
#define HIGH_FD		1500	/* /dev/null, above the restarter's limit */
#define ALARM_SECONDS	1000	/* ITIMER_REAL, never reached */
#define ALARM_INTERVAL	5
#define CPU_TIMER_SECONDS 100	/* ITIMER_VIRTUAL and ITIMER_PROF */
#define CPU_TIMER_INTERVAL_US 250000
#define DATA_FD		101	/* the data file, read-write, offset 1000 */
#define DUP_FD		102	/* a dup of it, sharing the offset */
#define NULL_FD		103	/* /dev/null, close-on-exec */
#define DIR_FD		104	/* /tmp, O_DIRECTORY */
#define DATA_OFFSET	1000
#define CHILD_UMASK	027
#define QUEUED_USR1	5678	/* queued for the thread, blocked */
#define QUEUED_USR2	1234	/* queued for the process, blocked */

static const unsigned char xmm_pattern[16] = {
	0xde, 0xad, 0xbe, 0xef, 0x01, 0x23, 0x45, 0x67,
	0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98,
};

static const unsigned char xmm7_pattern[16] = {
	0x10, 0x32, 0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe,
	0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78,
};

static unsigned char page_byte(unsigned int i)
{
	return i * 13 + 5;
}

struct regs_out {
	uint64_t rbx, r12, r13, r14, r15;
	unsigned char xmm0[16], xmm7[16];
};

/*
 * Load rbx, r12-r15, xmm0 and xmm7, block in read(2) and store them
 * back, in one asm statement so that no compiled code runs in between.
 */
static long read_with_registers(int fd, struct regs_out *out)
{
	char c;
	long ret;

	asm volatile("movdqu (%[in]), %%xmm0\n\t"
		     "movdqu (%[in7]), %%xmm7\n\t"
		     "movq %[mbx], %%rbx\n\t"
		     "movq %[m12], %%r12\n\t"
		     "movq %[m13], %%r13\n\t"
		     "movq %[m14], %%r14\n\t"
		     "movq %[m15], %%r15\n\t"
		     "syscall\n\t"
		     "movdqu %%xmm0, 40(%[out])\n\t"
		     "movdqu %%xmm7, 56(%[out])\n\t"
		     "movq %%rbx, 0(%[out])\n\t"
		     "movq %%r12, 8(%[out])\n\t"
		     "movq %%r13, 16(%[out])\n\t"
		     "movq %%r14, 24(%[out])\n\t"
		     "movq %%r15, 32(%[out])\n\t"
		     : "=a" (ret)
		     : "a" ((long)SYS_read), "D" ((long)fd), "S" (&c), "d" (1L),
		       [in] "r" (xmm_pattern), [in7] "r" (xmm7_pattern),
		       [out] "r" (out),
		       [mbx] "m" (*(const uint64_t[]){ MAGIC_RBX }),
		       [m12] "m" (*(const uint64_t[]){ MAGIC_R12 }),
		       [m13] "m" (*(const uint64_t[]){ MAGIC_R13 }),
		       [m14] "m" (*(const uint64_t[]){ MAGIC_R14 }),
		       [m15] "m" (*(const uint64_t[]){ MAGIC_R15 })
		     : "rcx", "r11", "rbx", "r12", "r13", "r14", "r15",
		       "xmm0", "xmm7", "memory");
	return ret;
}

static sig_atomic_t got_usr1, got_usr2;
static char altstack[64 * 1024];

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	if (si->si_code != SI_QUEUE)
		return;
	if (sig == SIGUSR1)
		__atomic_store_n(&got_usr1, si->si_value.sival_int, __ATOMIC_RELAXED);
	else if (sig == SIGUSR2)
		__atomic_store_n(&got_usr2, si->si_value.sival_int, __ATOMIC_RELAXED);
}

/* Handlers, a mask, two queued signals and an altstack. */
static int set_up_signals(void)
{
	struct sigaction sa = { .sa_sigaction = on_signal,
				.sa_flags = SA_SIGINFO | SA_RESTART };
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
	union sigval v;
	siginfo_t si;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sa.sa_mask = set;
	if (sigaction(SIGUSR1, &sa, NULL) || sigaction(SIGUSR2, &sa, NULL) ||
	    sigprocmask(SIG_BLOCK, &set, NULL) || sigaltstack(&ss, NULL))
		return -1;
	v.sival_int = QUEUED_USR2;
	if (sigqueue(getpid(), SIGUSR2, v))
		return -1;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGUSR1;
	si.si_code = SI_QUEUE;
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = QUEUED_USR1;
	return syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGUSR1, &si);
}

/* After the read: the same state, then the signals are delivered. */
static int check_signals(void)
{
	struct sigaction sa;
	sigset_t set, pending;
	stack_t ss;

	if (sigprocmask(SIG_SETMASK, NULL, &set) || sigpending(&pending) ||
	    sigaltstack(NULL, &ss) || sigaction(SIGUSR1, NULL, &sa))
		return -1;
	if (!sigismember(&set, SIGUSR1) || !sigismember(&set, SIGUSR2) ||
	    sigismember(&set, SIGTERM) ||
	    !sigismember(&pending, SIGUSR1) || !sigismember(&pending, SIGUSR2))
		return -1;
	if (ss.ss_sp != altstack || ss.ss_size != sizeof(altstack) ||
	    ss.ss_flags != 0)
		return -1;
	if (sa.sa_sigaction != on_signal ||
	    !(sa.sa_flags & SA_SIGINFO) || !(sa.sa_flags & SA_RESTART) ||
	    !sigismember(&sa.sa_mask, SIGUSR2))
		return -1;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	if (sigprocmask(SIG_UNBLOCK, &set, NULL))
		return -1;
	return __atomic_load_n(&got_usr1, __ATOMIC_RELAXED) == QUEUED_USR1 &&
	       __atomic_load_n(&got_usr2, __ATOMIC_RELAXED) == QUEUED_USR2 ? 0 : -1;
}

/*
 * ITIMER_REAL keeps running: less left, but not much less.  The CPU
 * time timers count the process's CPU time, which the restored process
 * starts again from zero with: they keep what was left of them, which
 * is almost all, as the child spends little CPU time.
 */
static int set_up_timer(void)
{
	struct itimerval it = {
		.it_value = { .tv_sec = ALARM_SECONDS },
		.it_interval = { .tv_sec = ALARM_INTERVAL },
	};
	struct itimerval cpu = {
		.it_value = { .tv_sec = CPU_TIMER_SECONDS },
		.it_interval = { .tv_usec = CPU_TIMER_INTERVAL_US },
	};

	return setitimer(ITIMER_REAL, &it, NULL) ||
	       setitimer(ITIMER_VIRTUAL, &cpu, NULL) ||
	       setitimer(ITIMER_PROF, &cpu, NULL);
}

static int check_cpu_timer(int which)
{
	struct itimerval it;

	if (getitimer(which, &it))
		return -1;
	/* setitimer() adds a tick: 100 s and a bit at first. */
	return it.it_value.tv_sec <= CPU_TIMER_SECONDS &&
	       it.it_value.tv_sec >= CPU_TIMER_SECONDS - 30 &&
	       !it.it_interval.tv_sec &&
	       it.it_interval.tv_usec == CPU_TIMER_INTERVAL_US ? 0 : -1;
}

static int check_timer(void)
{
	struct itimerval it;

	if (getitimer(ITIMER_REAL, &it))
		return -1;
	if (it.it_value.tv_sec >= ALARM_SECONDS ||
	    it.it_value.tv_sec <= ALARM_SECONDS - 300 ||
	    it.it_interval.tv_sec != ALARM_INTERVAL || it.it_interval.tv_usec)
		return -1;
	return check_cpu_timer(ITIMER_VIRTUAL) ?: check_cpu_timer(ITIMER_PROF);
}

/* prctl state, limits, nice and the C library's per-thread areas. */
static struct robust_list_head *robust_before;
static int *rseq_cpu_id;

static int set_up_attrs(void)
{
	struct rlimit rl = { CHILD_NOFILE, CHILD_NOFILE_MAX };
	size_t len;

	if (setrlimit(RLIMIT_NOFILE, &rl) ||
	    setpriority(PRIO_PROCESS, 0, CHILD_NICE) ||
	    prctl(PR_SET_CHILD_SUBREAPER, 1) ||
	    prctl(PR_SET_PDEATHSIG, SIGWINCH) ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_DUMPABLE, 0) ||
	    prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) ||
	    syscall(SYS_get_robust_list, 0, &robust_before, &len))
		return -1;
	/* glibc registers rseq: cpu_id is the second word of the area. */
	if (__rseq_size)
		rseq_cpu_id = (int *)((char *)__builtin_thread_pointer() +
				      __rseq_offset + 4);
	return 0;
}

/* Make a stale cpu_id visible: the kernel rewrites it if registered. */
static void spoil_rseq(void)
{
	if (rseq_cpu_id)
		__atomic_store_n(rseq_cpu_id, -2, __ATOMIC_RELAXED);
}

static int check_attrs(void)
{
	struct robust_list_head *robust;
	struct rlimit rl;
	size_t len;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur != CHILD_NOFILE ||
	    rl.rlim_max != CHILD_NOFILE_MAX)
		return -1;
	errno = 0;
	if (getpriority(PRIO_PROCESS, 0) != CHILD_NICE || errno)
		return -1;
	if (prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1 ||
	    prctl(PR_GET_DUMPABLE) != 0 ||
	    prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) != 1)
		return -1;
	if (syscall(SYS_get_robust_list, 0, &robust, &len) ||
	    robust != robust_before || !robust)
		return -1;
	if (rseq_cpu_id && __atomic_load_n(rseq_cpu_id, __ATOMIC_RELAXED) < 0)
		return -1;
	return 0;
}

static int check_attrs_prctl(void)
{
	int v = 0;

	if (prctl(PR_GET_CHILD_SUBREAPER, &v) || v != 1)
		return -1;
	if (prctl(PR_GET_PDEATHSIG, &v) || v != SIGWINCH)
		return -1;
	return 0;
}

/* Open files, a working directory and a umask, to check after. */
static int set_up_files(const char *file)
{
	int fd = open(file, O_RDWR | O_NOATIME);

	if (fd < 0 || dup2(fd, DATA_FD) != DATA_FD || close(fd) ||
	    lseek(DATA_FD, DATA_OFFSET, SEEK_SET) != DATA_OFFSET ||
	    dup2(DATA_FD, DUP_FD) != DUP_FD)
		return -1;
	fd = open("/dev/null", O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0 || dup3(fd, NULL_FD, O_CLOEXEC) != NULL_FD || close(fd))
		return -1;
	fd = open("/tmp", O_RDONLY | O_DIRECTORY);
	if (fd < 0 || dup2(fd, DIR_FD) != DIR_FD || close(fd))
		return -1;
	if (dup2(NULL_FD, HIGH_FD) != HIGH_FD)
		return -1;
	umask(CHILD_UMASK);
	return chdir("/tmp");
}

static int check_files(void)
{
	char cwd[64];
	int fl;

	if (lseek(DATA_FD, 0, SEEK_CUR) != DATA_OFFSET ||
	    lseek(DUP_FD, 0, SEEK_CUR) != DATA_OFFSET)
		return -1;
	fl = fcntl(DATA_FD, F_GETFL);
	if (fl < 0 || (fl & O_ACCMODE) != O_RDWR || !(fl & O_NOATIME) ||
	    fcntl(DATA_FD, F_GETFD) != 0)
		return -1;
	/* One open file behind both: moving one moves the other. */
	if (lseek(DATA_FD, 7, SEEK_SET) != 7 ||
	    lseek(DUP_FD, 0, SEEK_CUR) != 7)
		return -1;
	fl = fcntl(NULL_FD, F_GETFL);
	if (fl < 0 || (fl & O_ACCMODE) != O_WRONLY || !(fl & O_APPEND) ||
	    fcntl(NULL_FD, F_GETFD) != FD_CLOEXEC || write(NULL_FD, "x", 1) != 1)
		return -1;
	fl = fcntl(DIR_FD, F_GETFL);
	if (fl < 0 || !(fl & O_DIRECTORY))
		return -1;
	if (fcntl(HIGH_FD, F_GETFD) != 0)
		return -1;
	if (!getcwd(cwd, sizeof(cwd)) || strcmp(cwd, "/tmp"))
		return -1;
	if (umask(0) != CHILD_UMASK)
		return -1;
	return 0;
}

/* The page pattern of the data file, so the test can check it. */
static unsigned char file_byte(unsigned int page)
{
	return 0xa0 + page;
}

static int check_region(const unsigned char *region, long psz)
{
	unsigned int i;
	long j;

	for (i = 0; i < REGION_PAGES; i++) {
		unsigned char want = i < NR_DATA_PAGES ? page_byte(i) : 0;

		for (j = 0; j < psz; j++)
			if (region[i * psz + j] != want)
				return -1;
	}
	return 0;
}

static void child_main(int rep, const char *file)
{
	long psz = sysconf(_SC_PAGESIZE);
	unsigned char *region, *map;
	struct regs_out r;
	unsigned int i;
	int fd;
	long n;

	region = mmap(NULL, REGION_PAGES * psz, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (region == MAP_FAILED || fd < 0)
		_exit(1);
	map = mmap(NULL, FILE_PAGES * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		   fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		_exit(1);
	for (i = 0; i < NR_DATA_PAGES; i++)
		memset(region + i * psz, page_byte(i), psz);
	/* Page 0 of the file mapping becomes the process's own. */
	memset(map, 0x55, psz);
	/* Leave the end of the data area read-only, as a guard. */
	if (mprotect(region + (REGION_PAGES - 8) * psz, 8 * psz, PROT_READ))
		_exit(1);
	if (set_up_signals() || set_up_attrs() || set_up_files(file) ||
	    set_up_timer())
		_exit(1);
	if (write(rep, &region, sizeof(region)) != sizeof(region))
		_exit(1);
	close(rep);

	memset(&r, 0, sizeof(r));
	spoil_rseq();
	n = read_with_registers(CHILD_CTL_FD, &r);
	if (n != 1)
		_exit(EXIT_BAD_READ);
	if (r.rbx != MAGIC_RBX || r.r12 != MAGIC_R12 || r.r13 != MAGIC_R13 ||
	    r.r14 != MAGIC_R14 || r.r15 != MAGIC_R15)
		_exit(EXIT_BAD_REGS);
	if (memcmp(r.xmm0, xmm_pattern, sizeof(r.xmm0)) ||
	    memcmp(r.xmm7, xmm7_pattern, sizeof(r.xmm7)))
		_exit(EXIT_BAD_SSE);
	if (check_region(region, psz))
		_exit(EXIT_BAD_MEMORY);
	for (i = 0; i < psz; i++)
		if (map[i] != 0x55 || map[psz + i] != file_byte(1))
			_exit(EXIT_BAD_FILE);
	if (check_signals())
		_exit(EXIT_BAD_SIGNALS);
	if (check_files())
		_exit(EXIT_BAD_FILES);
	if (check_timer())
		_exit(EXIT_BAD_TIMER);
	if (check_attrs() || check_attrs_prctl())
		_exit(EXIT_BAD_ATTRS);
	_exit(EXIT_INTACT);
}

/*
 * restart(2) of @img with a fresh pipe at CHILD_CTL_FD, whose write end
 * goes to *ctl.  Returns restart's result or -errno.
 */
static long restart_with_ctl(const struct ckpt_image *img, int *ctl,
			     char *log, size_t logsize)
{
	return restart_with_pipes(img, CHILD_CTL_FD, ctl, -1, NULL, log,
				  logsize, NULL);
}

/* Let the restored process read its byte; return its exit status. */
static int release_and_wait(pid_t pid, int ctl)
{
	int st;

	if (write(ctl, "x", 1) != 1)
		return -1;
	close(ctl);
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static bool no_children(void)
{
	return waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD;
}

FIXTURE(restart_task)
{
	pid_t pid;		/* of the checkpointed child */
	int ctl;		/* its control pipe, while it lives */
	char file[64];
	struct ckpt_image img;
	char log[CKPT_LOG_SIZE];
};

FIXTURE_SETUP(restart_task)
{
	long psz = sysconf(_SC_PAGESIZE);
	unsigned char *page;
	unsigned long region;
	int rep[2], ctl[2], fd;
	unsigned int i;

	memset(&self->img, 0, sizeof(self->img));
	self->ctl = -1;
	self->pid = -1;
	snprintf(self->file, sizeof(self->file), "/tmp/restart_task.%d",
		 getpid());
	fd = open(self->file, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	page = malloc(psz);
	ASSERT_NE(NULL, page);
	for (i = 0; i < FILE_PAGES; i++) {
		memset(page, file_byte(i), psz);
		ASSERT_EQ(psz, write(fd, page, psz));
	}
	free(page);
	close(fd);

	ASSERT_EQ(0, pipe2(rep, O_CLOEXEC));
	ASSERT_EQ(0, pipe(ctl));
	self->pid = fork();
	ASSERT_LE(0, self->pid);
	if (!self->pid) {
		close(rep[0]);
		close(ctl[1]);
		if (dup2(ctl[0], CHILD_CTL_FD) != CHILD_CTL_FD || close(ctl[0]))
			_exit(1);
		child_main(rep[1], self->file);
	}
	close(rep[1]);
	close(ctl[0]);
	ASSERT_EQ(sizeof(region), read(rep[0], &region, sizeof(region)));
	close(rep[0]);
	ASSERT_EQ(0, wait_in_read(self->pid));

	self->ctl = ctl[1];
	ASSERT_LT(0, checkpoint_image(self->pid, CHECKPOINT_SCOPE_TASK,
				      &self->img, self->log, sizeof(self->log)))
		TH_LOG("log: %s", self->log);
}

/* The original goes away: the image is all that is left. */
static void kill_original(pid_t pid, int *ctl)
{
	int st;

	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	if (*ctl >= 0)
		close(*ctl);
	*ctl = -1;
}

FIXTURE_TEARDOWN(restart_task)
{
	pid_t pid;

	kill_original(self->pid, &self->ctl);
	while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
		;
	unlink(self->file);
	image_free(&self->img);
}

TEST_F(restart_task, original_continues_with_its_state)
{
	int st;

	/* Held still, not signalled: its read() gets the byte. */
	ASSERT_EQ(1, write(self->ctl, "x", 1));
	ASSERT_EQ(self->pid, waitpid(self->pid, &st, 0));
	close(self->ctl);
	self->ctl = -1;
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(EXIT_INTACT, WEXITSTATUS(st));
}

TEST_F(restart_task, kill_flag_kills_after_a_complete_image)
{
	struct ckpt_image img = { 0 };
	int st, ctl;

	ASSERT_LT(0, checkpoint_image(self->pid,
				      CHECKPOINT_SCOPE_TASK | CHECKPOINT_KILL,
				      &img, self->log, sizeof(self->log)))
		TH_LOG("log: %s", self->log);
	/* Killed while held: its read() never returned. */
	ASSERT_EQ(self->pid, waitpid(self->pid, &st, 0));
	self->pid = -1;
	EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	close(self->ctl);
	self->ctl = -1;

	EXPECT_EQ(0, validate_image(&img, self->log, sizeof(self->log)));
	self->pid = restart_with_ctl(&img, &ctl, self->log, sizeof(self->log));
	ASSERT_LT(0, self->pid)
		TH_LOG("log: %s", self->log);
	EXPECT_EQ(EXIT_INTACT, release_and_wait(self->pid, ctl));
	self->pid = -1;
	image_free(&img);
}

TEST_F(restart_task, stop_flag_stops_after_a_complete_image)
{
	int st;

	ASSERT_LT(0, checkpoint_image(self->pid,
				      CHECKPOINT_SCOPE_TASK | CHECKPOINT_STOP,
				      NULL, self->log, sizeof(self->log)))
		TH_LOG("log: %s", self->log);
	ASSERT_EQ(self->pid, waitpid(self->pid, &st, WUNTRACED));
	EXPECT_TRUE(WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP);
	/* Continued, it finishes its read() as if nothing happened. */
	ASSERT_EQ(0, kill(self->pid, SIGCONT));
	ASSERT_EQ(1, write(self->ctl, "x", 1));
	ASSERT_EQ(self->pid, waitpid(self->pid, &st, 0));
	self->pid = -1;
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(EXIT_INTACT, WEXITSTATUS(st));
}

TEST_F(restart_task, restores_pid_registers_and_memory)
{
	int ctl;
	long ret;

	kill_original(self->pid, &self->ctl);

	ret = restart_with_ctl(&self->img, &ctl, self->log, sizeof(self->log));
	ASSERT_EQ(self->pid, ret)
		TH_LOG("log: %s", self->log);
	EXPECT_EQ(EXIT_INTACT, release_and_wait(self->pid, ctl));
}

struct restored_arg {
	struct __test_metadata *metadata;
	struct _test_data_restart_task *self;
};

/* The process restored with its own pid exits with EXIT_INTACT. */
static void check_restored(struct restart_round *r, void *arg)
{
	struct restored_arg *a = arg;
	struct __test_metadata *_metadata = a->metadata;

	ASSERT_EQ(a->self->pid, r->root)
		TH_LOG("round %d, log: %s", r->round, a->self->log);
	EXPECT_EQ(EXIT_INTACT, release_and_wait(a->self->pid, r->ctl));
	r->ctl = -1;	/* release_and_wait() closes it */
}

TEST_F(restart_task, restarts_twice_from_one_image)
{
	struct restored_arg a = { _metadata, self };

	kill_original(self->pid, &self->ctl);

	/* No *live: the teardown kills self->pid, the same pid. */
	ASSERT_EQ(self->pid, restart_rounds(&self->img, 2, CHILD_CTL_FD, -1,
					    self->log, sizeof(self->log), NULL,
					    check_restored, &a))
		TH_LOG("log: %s", self->log);
}

TEST_F(restart_task, restored_process_can_be_checkpointed_again)
{
	struct ckpt_image again = { 0 };
	int ctl;
	long ret;

	kill_original(self->pid, &self->ctl);

	ret = restart_with_ctl(&self->img, &ctl, self->log, sizeof(self->log));
	ASSERT_EQ(self->pid, ret)
		TH_LOG("log: %s", self->log);
	ASSERT_EQ(0, wait_in_read(self->pid));
	EXPECT_LT(0, checkpoint_image(self->pid, CHECKPOINT_SCOPE_TASK, &again,
				      self->log, sizeof(self->log)))
		TH_LOG("log: %s", self->log);
	EXPECT_EQ(0, validate_image(&again, self->log, sizeof(self->log)))
		TH_LOG("log: %s", self->log);
	image_free(&again);
	EXPECT_EQ(EXIT_INTACT, release_and_wait(self->pid, ctl));
}

TEST_F(restart_task, busy_pid_is_refused)
{
	int ctl, ctl2;
	long ret;

	kill_original(self->pid, &self->ctl);

	ret = restart_with_ctl(&self->img, &ctl, self->log, sizeof(self->log));
	ASSERT_EQ(self->pid, ret)
		TH_LOG("log: %s", self->log);
	/* The pid is taken by the first copy now. */
	EXPECT_EQ(-EBUSY, restart_with_ctl(&self->img, &ctl2, self->log,
					   sizeof(self->log)));
	EXPECT_NE(NULL, strstr(self->log, "in use"))
		TH_LOG("log: %s", self->log);
	close(ctl2);
	EXPECT_EQ(EXIT_INTACT, release_and_wait(self->pid, ctl));
	EXPECT_TRUE(no_children());
}

TEST_F(restart_task, failed_restart_leaves_nothing_behind)
{
	struct ckpt_rec recs[CKPT_MAX_RECS];
	struct ckpt_hdr_tail *t;
	int n, ctl;

	kill_original(self->pid, &self->ctl);

	/* Break the tail: every task is built before it is read. */
	n = image_walk(&self->img, recs, CKPT_MAX_RECS);
	ASSERT_LT(1, n);
	ASSERT_EQ(CKPT_HDR_TAIL, recs[n - 1].type);
	t = (struct ckpt_hdr_tail *)(self->img.buf + recs[n - 1].off);
	t->records++;

	EXPECT_EQ(-EINVAL, restart_with_ctl(&self->img, &ctl, self->log,
					    sizeof(self->log)));
	close(ctl);
	EXPECT_NE(NULL, strstr(self->log, "tail"))
		TH_LOG("log: %s", self->log);
	EXPECT_TRUE(no_children());
	EXPECT_EQ(-1, kill(self->pid, 0));
	EXPECT_EQ(ESRCH, errno);
}

TEST_F(restart_task, changed_file_is_refused)
{
	struct timespec times[2] = {
		{ .tv_sec = 1000000000 }, { .tv_sec = 1000000000 },
	};
	int ctl;

	kill_original(self->pid, &self->ctl);

	ASSERT_EQ(0, utimensat(AT_FDCWD, self->file, times, 0));
	EXPECT_EQ(-ESTALE, restart_with_ctl(&self->img, &ctl, self->log,
					    sizeof(self->log)));
	close(ctl);
	EXPECT_NE(NULL, strstr(self->log, self->file))
		TH_LOG("log: %s", self->log);
	EXPECT_TRUE(no_children());
}

/*
 * A file open read-only that changed since the checkpoint (its size or
 * modification time) is refused, by name: the program would read other
 * data.  One open for writing may change: it is the program's output.
 * A file of procfs, whose inodes procfs makes anew, is reopened by its
 * path, with its offset.
 */
#define RO_FILE		"/tmp/restart_task.ro"
#define RW_FILE		"/tmp/restart_task.rw"
#define RO_FD		60
#define RW_FD		61
#define PROC_FD		62	/* /proc/self/status, at offset PROC_POS */
#define PROC_POS	5

/* Whether PROC_FD is this process's status, at PROC_POS. */
static bool proc_status_is_mine(void)
{
	char buf[4096], want[32];
	ssize_t n;

	if (lseek(PROC_FD, 0, SEEK_CUR) != PROC_POS)
		return false;
	n = pread(PROC_FD, buf, sizeof(buf) - 1, 0);
	if (n <= 0)
		return false;
	buf[n] = 0;
	snprintf(want, sizeof(want), "\nPid:\t%d\n", getpid());
	return strstr(buf, want);
}

static void __noreturn reader_child(void)
{
	char c = 'r';

	if (dup2(open(RO_FILE, O_RDONLY), RO_FD) != RO_FD ||
	    dup2(open(RW_FILE, O_WRONLY | O_APPEND), RW_FD) != RW_FD ||
	    dup2(open("/proc/self/status", O_RDONLY), PROC_FD) != PROC_FD ||
	    lseek(PROC_FD, PROC_POS, SEEK_SET) != PROC_POS ||
	    write(RW_FD, "out", 3) != 3 || write(CHILD_CTL_FD + 1, &c, 1) != 1 ||
	    read(CHILD_CTL_FD, &c, 1) != 1)
		_exit(90);
	_exit(proc_status_is_mine() ? 0 : 91);
}

static void append(struct __test_metadata *_metadata, const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);

	ASSERT_LE(0, fd);
	ASSERT_EQ(4, write(fd, "data", 4));
	close(fd);
}

TEST(files_reopened_by_path_are_checked)
{
	struct ckpt_image img = { 0 };
	char log[CKPT_LOG_SIZE], c;
	int ctl, res, status;
	pid_t pid;
	long ret;

	unlink(RO_FILE);
	unlink(RW_FILE);
	append(_metadata, RO_FILE);
	append(_metadata, RW_FILE);
	pid = fork_with_pipes(CHILD_CTL_FD, &ctl, CHILD_CTL_FD + 1, &res,
			      reader_child);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, read_within(res, &c, 1, 30000));
	ASSERT_LT(0, checkpoint_image(pid, CHECKPOINT_SCOPE_TASK |
				      CHECKPOINT_KILL, &img, log, sizeof(log)))
		TH_LOG("%s", log);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	close(ctl);
	close(res);

	/* Its output grew: restarted all the same. */
	append(_metadata, RW_FILE);
	ret = restart_with_pipes(&img, CHILD_CTL_FD, &ctl, CHILD_CTL_FD + 1,
				 &res, log, sizeof(log), NULL);
	ASSERT_EQ(pid, ret) TH_LOG("%s", log);
	ASSERT_EQ(1, write(ctl, "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	close(ctl);
	close(res);

	/* Its input grew: refused, naming it, nothing left behind. */
	append(_metadata, RO_FILE);
	ret = restart_with_pipes(&img, CHILD_CTL_FD, &ctl, CHILD_CTL_FD + 1,
				 &res, log, sizeof(log), NULL);
	EXPECT_EQ(-ESTALE, ret);
	EXPECT_NE(NULL, strstr(log, RO_FILE))
		TH_LOG("%s", log);
	if (ret > 0) {
		kill(ret, SIGKILL);
		waitpid(ret, NULL, 0);
	}
	EXPECT_TRUE(no_children());
	if (ctl >= 0)
		close(ctl);
	if (res >= 0)
		close(res);
	image_free(&img);
	unlink(RO_FILE);
	unlink(RW_FILE);
}

TEST_F(restart_task, unprivileged_caller_cannot_choose_pids)
{
	long *ret = shared_alloc(sizeof(*ret));
	pid_t helper;
	int st;

	kill_original(self->pid, &self->ctl);

	ASSERT_NE(NULL, ret);
	*ret = 1;
	/* The image stays readable: it is in a memfd made by the helper. */
	helper = fork();
	ASSERT_LE(0, helper);
	if (!helper) {
		int ctl;

		if (drop_to_nobody())
			_exit(1);
		*ret = restart_with_ctl(&self->img, &ctl, self->log,
					sizeof(self->log));
		_exit(0);
	}
	ASSERT_EQ(helper, waitpid(helper, &st, 0));
	EXPECT_EQ(-EPERM, *ret);
	EXPECT_EQ(-1, kill(self->pid, 0));
}

/*
 * Damaged images fed to a real restart, not a validation: each fails
 * cleanly with a known errno or restores a process (which is killed at
 * once), and no task is ever left behind.  The console check of the
 * test run catches any KASAN report, lockdep splat or leak on the error
 * paths.
 */
TEST_F_TIMEOUT(restart_task, damaged_images_fail_cleanly, 900)
{
	static const int known[] = {
		EINVAL, E2BIG, EBADR, ENODATA, ENOEXEC, EPROTONOSUPPORT,
		EBADMSG, EPERM, EBUSY, ESTALE, EOPNOTSUPP, ENOENT, EACCES,
		EFAULT, ENOMEM, EBADF, ENOTDIR, ENAMETOOLONG, ESPIPE, EEXIST,
		ELOOP, EISDIR, ETXTBSY, EAGAIN, ENXIO, ENODEV, EMFILE,
	};
	struct ckpt_rec recs[CKPT_MAX_RECS];
	struct ckpt_image img = { 0 };
	int i, n, restored = 0, refused = 0;

	kill_original(self->pid, &self->ctl);
	n = image_walk(&self->img, recs, CKPT_MAX_RECS);
	ASSERT_LT(2, n);
	srand(1);
	for (i = 0; i < 150; i++) {
		const struct ckpt_rec *rec = &recs[1 + rand() % (n - 1)];
		size_t off = rec->off + rand() % rec->len;
		unsigned int k;
		int ctl, st;
		long ret;

		image_free(&img);
		ASSERT_EQ(0, image_copy(&img, &self->img));
		img.buf[off] ^= 1 << (rand() % 8);
		ret = restart_with_ctl(&img, &ctl, self->log, sizeof(self->log));
		close(ctl);
		if (ret > 0) {
			kill(ret, SIGKILL);
			ASSERT_EQ(ret, waitpid(ret, &st, 0));
			restored++;
			continue;
		}
		for (k = 0; k < ARRAY_SIZE(known); k++)
			if (ret == -known[k])
				break;
		EXPECT_LT(k, ARRAY_SIZE(known))
			TH_LOG("flip at %zu (type %u): %ld, log: %s", off,
			       rec->type, ret, self->log);
		ASSERT_TRUE(no_children())
			TH_LOG("flip at %zu (type %u) left a task", off,
			       rec->type);
		refused++;
	}
	image_free(&img);
	TH_LOG("%d restored, %d refused", restored, refused);
}

/*
 * A child that holds what @set_up gives it, then waits in read(2): its
 * checkpoint (of @scope) must fail with EOPNOTSUPP and a log naming
 * @what, and it must carry on unharmed, as @check (if any) finds.
 */
static void check_refused_scope(struct __test_metadata *_metadata,
				int (*set_up)(void), int (*check)(void),
				unsigned int scope, const char *what)
{
	char log[CKPT_LOG_SIZE], c;
	int ctl[2], st;
	pid_t pid;

	ASSERT_EQ(0, pipe(ctl));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(ctl[1]);
		if (set_up())
			_exit(1);
		if (read(ctl[0], &c, 1) != 1)
			_exit(EXIT_BAD_READ);
		_exit(check ? check() : EXIT_INTACT);
	}
	close(ctl[0]);
	ASSERT_EQ(0, wait_in_read(pid));

	EXPECT_EQ(-EOPNOTSUPP, checkpoint_image(pid, scope, NULL, log,
						sizeof(log)));
	EXPECT_NE(NULL, strstr(log, what))
		TH_LOG("log: %s", log);

	ASSERT_EQ(1, write(ctl[1], "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(EXIT_INTACT, WEXITSTATUS(st));
	close(ctl[1]);
}

static void check_refused(struct __test_metadata *_metadata,
			  int (*set_up)(void), int (*check)(void),
			  const char *what)
{
	check_refused_scope(_metadata, set_up, check, CHECKPOINT_SCOPE_TASK,
			    what);
}

/*
 * A descriptor of a kind that is not saved yet makes the checkpoint
 * fail, naming the descriptor and the file; the target runs on.
 */

/* A fanotify descriptor at fd 50: the log names the fd and its kind. */
static int set_up_fanotify(void)
{
	int fd = fanotify_init(FAN_CLASS_NOTIF, O_RDONLY);

	if (fd < 0 || dup2(fd, 50) != 50)
		return -1;
	close(fd);
	return 0;
}

TEST(unsupported_descriptor_is_refused_by_name)
{
	check_refused(_metadata, set_up_fanotify, NULL,
		      "fd 50: anon_inode:[fanotify]");
}

/*
 * Not restored: a POSIX timer on the CPU clock of another process, here
 * the parent's (see posix_timers.c for the timers that are).  It stays
 * armed.
 */
static timer_t posix_timer;

static int set_up_posix_timer(void)
{
	struct itimerspec its = { .it_value = { .tv_sec = 1000 } };
	/* MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED) */
	clockid_t clk = (~(clockid_t)getppid() << 3) | 2;

	return timer_create(clk, NULL, &posix_timer) ||
	       timer_settime(posix_timer, 0, &its, NULL);
}

static int check_posix_timer(void)
{
	struct itimerspec its;

	if (timer_gettime(posix_timer, &its) || its.it_value.tv_sec < 900)
		return EXIT_BAD_TIMER;
	return EXIT_INTACT;
}

TEST(timer_on_another_process_clock_is_refused)
{
	check_refused(_metadata, set_up_posix_timer, check_posix_timer,
		      "POSIX timer 0 on clock");
}

/*
 * Not restored yet: seccomp filters.  A filtered task is refused, as
 * restoring it without its filters would let it out of its sandbox.
 */
static int set_up_seccomp(void)
{
	struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = 1, .filter = &allow };

	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	       syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

TEST(seccomp_filtered_task_is_refused)
{
	check_refused(_metadata, set_up_seccomp, NULL, "seccomp");
}

TEST_HARNESS_MAIN

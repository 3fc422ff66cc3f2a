/* SPDX-License-Identifier: LGPL-2.1 */
/*
 * libcr.h: the BLCR 0.8 programming interface, on top of Linux's
 * checkpoint(2), restart(2) and the prctl() operations of
 * Documentation/checkpoint/callbacks.rst.
 *
 * Link with -lcr (libcr.so.0).  See tools/checkpoint/libcr/README.
 */
#ifndef _LIBCR_H
#define _LIBCR_H

#include <sys/types.h>
#include <sys/time.h>

#include "blcr_common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define _CR_DEPRECATED	__attribute__((deprecated))

/* Identifiers and handles */
typedef int cr_client_id_t;
typedef int cr_callback_id_t;
typedef int (*cr_callback_t)(void *arg);
typedef unsigned int cr_spinlock_t;
typedef unsigned long cr_checkpoint_handle_t;
typedef unsigned long cr_restart_handle_t;

/* Callback context: exactly one in the flags of cr_register_callback() */
#define CR_THREAD_CONTEXT	0x4000000
#define CR_SIGNAL_CONTEXT	0x2000000
#define CR_MAX_CALLBACKS	0x1FFFFFF

/* The client id a callback passes to cr_enter_cs() and friends */
#define CR_ID_CALLBACK		((cr_client_id_t)-1)

/* cr_checkpoint() flags */
#define CR_CHECKPOINT_READY		0
#define CR_CHECKPOINT_TEMP_FAILURE	1
#define CR_CHECKPOINT_PERM_FAILURE	2
#define CR_CHECKPOINT_OMIT		4
/* A failure with a user error code v (1..65535) instead of the default */
#define CR_CHECKPOINT_TEMP_FAILURE_CODE(v)	(1 | ((v) << 16))
#define CR_CHECKPOINT_PERM_FAILURE_CODE(v)	(2 | ((v) << 16))

/* cr_status() */
#define CR_STATE_IDLE		0
#define CR_STATE_PENDING	1
#define CR_STATE_ACTIVE		2

/* cr_hold_ctrl() */
#define CR_HOLD_SCOPE_THREAD	0	/* the calling thread */
#define CR_HOLD_SCOPE_INIT	1	/* threads that called cr_init() */
#define CR_HOLD_SCOPE_UNINIT	2	/* the others */

#define CR_HOLD_READ		(-1)	/* change nothing, return the value */
#define CR_HOLD_NONE		0
#define CR_HOLD_CONT		1	/* hold after a checkpoint */
#define CR_HOLD_RSTRT		2	/* hold after a restart */
#define CR_HOLD_BOTH		(CR_HOLD_CONT | CR_HOLD_RSTRT)
#define CR_HOLD_DFLT		4	/* as the INIT scope (thread scope only) */

#define CR_SPINLOCK_INITIALIZER	0U

struct cr_checkpoint_info {
	int signal;		/* cr_signal of the request */
	const char *dest;	/* where the image goes, if known ("" if not) */
	pid_t requester;	/* who asked, 0 if not visible */
	pid_t target;
	cr_scope_t scope;
};

struct cr_restart_info {
	pid_t requester;	/* who restarted us */
	const char *src;	/* the image, if known ("" if not) */
};

typedef enum {
	CR_HOOK_CONT_SIGNAL_CONTEXT = 0,
	CR_HOOK_CONT_THREAD_CONTEXT,
	CR_HOOK_CONT_NO_CALLBACKS,
	CR_HOOK_RSTRT_SIGNAL_CONTEXT,
	CR_HOOK_RSTRT_THREAD_CONTEXT,
	CR_HOOK_RSTRT_NO_CALLBACKS,
	CR_NUM_HOOKS
} cr_hook_event_t;

typedef void (*cr_hook_fn_t)(cr_hook_event_t event);
#define CR_HOOK_FN_ERROR	((cr_hook_fn_t)(~0UL))

/* Link anchors: -u cr_link_me and the like pull the libraries in. */
extern int cr_link_me;
extern int cr_run_link_me;
extern int cr_omit_link_me;

/* Registration and callbacks */
cr_client_id_t cr_init(void);
cr_callback_id_t cr_register_callback(cr_callback_t func, void *arg,
				      int flags);
int cr_replace_callback(cr_callback_id_t id, cr_callback_t func,
			void *arg, int flags);
int cr_replace_self(cr_callback_t func, void *arg, int flags);
int cr_checkpoint(int flags);
int cr_forward_checkpoint(cr_scope_t scope, pid_t target);
const struct cr_checkpoint_info *cr_get_checkpoint_info(void);
const struct cr_restart_info *cr_get_restart_info(void);
cr_hook_fn_t cr_register_hook(cr_hook_event_t event, cr_hook_fn_t fn);
int cr_hold_ctrl(int scope, int flags);
int cr_inc_persist(void);
int cr_dec_persist(void);

/* Critical sections */
int cr_enter_cs(cr_client_id_t id);
int cr_tryenter_cs(cr_client_id_t id);
int cr_leave_cs(cr_client_id_t id);
int cr_status(void);

/* Signal-safe spinlocks */
void cr_spinlock_init(cr_spinlock_t *lock);
void cr_spinlock_lock(cr_spinlock_t *lock);
void cr_spinlock_unlock(cr_spinlock_t *lock);
int cr_spinlock_trylock(cr_spinlock_t *lock);	/* non-zero: taken */

const char *cr_strerror(int errnum);

/* Checkpoint requests */
int cri_init_checkpoint_args_t(cr_version_t version,
			       cr_checkpoint_args_t *args);
#define cr_initialize_checkpoint_args_t(a) \
	cri_init_checkpoint_args_t(CR_CHECKPOINT_ARGS_VERSION, (a))
int cr_request_checkpoint(cr_checkpoint_args_t *args,
			  cr_checkpoint_handle_t *handle);
int cr_wait_checkpoint(cr_checkpoint_handle_t *handle,
		       struct timeval *timeout);
int cr_log_checkpoint(cr_checkpoint_handle_t *handle, unsigned int len,
		      char *msg);
int cr_reap_checkpoint(cr_checkpoint_handle_t *handle);
int cr_poll_checkpoint_msg(cr_checkpoint_handle_t *handle,
			   struct timeval *timeout, char **msg_p);
int cr_poll_checkpoint(cr_checkpoint_handle_t *handle,
		       struct timeval *timeout);

/* Restart requests (experimental in BLCR too) */
int cri_init_restart_args_t(cr_version_t version,
			    cr_restart_args_t *args);
#define cr_initialize_restart_args_t(a) \
	cri_init_restart_args_t(CR_RESTART_ARGS_VERSION, (a))
int cr_request_restart(cr_restart_args_t *args,
		       cr_restart_handle_t *handle);
int cr_wait_restart(cr_restart_handle_t *handle,
		    struct timeval *timeout);
int cr_log_restart(cr_restart_handle_t *handle, unsigned int len,
		   char *msg);
int cr_reap_restart(cr_restart_handle_t *handle);
int cr_poll_restart_msg(cr_restart_handle_t *handle,
			struct timeval *timeout, char **msg_p);
int cr_poll_restart(cr_restart_handle_t *handle,
		    struct timeval *timeout);

/* Legacy: checkpoint the calling process */
_CR_DEPRECATED void cr_request(void);
_CR_DEPRECATED void cr_request_file(const char *filename);
_CR_DEPRECATED void cr_request_fd(int fd);

#ifdef __cplusplus
}
#endif

#endif /* _LIBCR_H */

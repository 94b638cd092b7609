/* SPDX-License-Identifier: BSD-3-Clause */
/* errno names for log lines; the values come from picolibc's <errno.h>. */
#include <errno.h>
#include <cairn/compiler.h>
#include <cairn/errname.h>

#define E(x) [x] = #x
static const char *const names[] = {
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG),
	E(ENOEXEC), E(EBADF), E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES),
	E(EFAULT), E(EBUSY), E(EEXIST), E(EXDEV), E(ENODEV), E(ENOTDIR),
	E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY), E(EFBIG),
	E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE), E(EDOM),
	E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOSYS), E(ENOTEMPTY),
	E(ELOOP), E(ENOTSUP), E(ETIMEDOUT), E(ECONNREFUSED), E(EADDRINUSE),
	E(ECONNRESET), E(ENOTCONN), E(EALREADY), E(EINPROGRESS), E(EOVERFLOW),
	E(ENOBUFS), E(EHOSTUNREACH), E(ENETUNREACH), E(ECANCELED),
};

const char *cn_errname(int err)
{
	if (err < 0)
		err = -err;
	if ((unsigned int)err < CN_ARRAY_SIZE(names) && names[err])
		return names[err];
	return "E?";
}

# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_VFS) += vfs
vfs-srcs-y := vfs.c path.c ops.c file.c posix.c dir.c mounts.c temp.c \
	ftw.c glob.c
vfs-srcs-$(CONFIG_LIB_SCHED) += lock.c
vfs-srcs-$(if $(CONFIG_LIB_SCHED),,y) += lock_none.c
vfs-srcs-$(CONFIG_LIB_VFS_TEST) += tests/test_path.c tests/test_vfs.c \
	tests/test_stdio.c
ifeq ($(CONFIG_LIB_VFS_TEST)$(CONFIG_LIB_SCHED),yy)
vfs-srcs-y += tests/test_threads.c tests/test_posix2.c tests/test_posix3.c
endif

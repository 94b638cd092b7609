# SPDX-License-Identifier: BSD-3-Clause
# Cairn's tests (this folder) and Lua itself, compiled unmodified from the
# cache ($(lua-src), set by the top Makefile) as ISO C: luaconf.h's
# defaults, no LUA_USE_POSIX/DLOPEN (no popen, no C modules to load).
lib-$(CONFIG_LIB_LUA) += lua lua-core
lua-srcs-y :=
lua-srcs-$(CONFIG_LIB_LUA_TEST) += tests/test_lua.c

# "/.": never empty, even in the pass before deps.py has named the folder.
lua-core-dir := $(lua-src)/src/.
lua-core-srcs-y := lapi.c lcode.c lctype.c ldebug.c ldo.c ldump.c lfunc.c \
	lgc.c llex.c lmem.c lobject.c lopcodes.c lparser.c lstate.c \
	lstring.c ltable.c ltm.c lundump.c lvm.c lzio.c \
	lauxlib.c lbaselib.c lcorolib.c ldblib.c liolib.c lmathlib.c \
	loadlib.c loslib.c lstrlib.c ltablib.c lutf8lib.c linit.c
# The interpreter's main() under a library name (apps/lua calls it).
lua-core-srcs-$(CONFIG_LIB_LUA_INTERPRETER) += lua.c
lua-core-cflags-y := -Dmain=cn_lua_main \
	-DLUA_PATH_DEFAULT='"/lib/lua/?.lua;/lib/lua/?/init.lua;./?.lua"' \
	-DLUA_CPATH_DEFAULT='""' \
	-w
global-cflags-$(CONFIG_LIB_LUA) += $(if $(lua-src),-I$(lua-src)/src)

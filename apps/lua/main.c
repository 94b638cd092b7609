/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lua's interpreter as an app: lua.c from Lua's own package (lib/lua,
 * LIB_LUA_INTERPRETER) with the app's argv, so everything `lua` accepts
 * on any system works here: ARGS="/hello.lua x y", ARGS="-e 'print(1)'",
 * no ARGS for the REPL on the serial console. Its status is the image's.
 */
#include <cairn/lua.h>

int main(int argc, char *argv[])
{
	return cn_lua_main(argc, argv);
}

/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * lib/lua's own name: Lua's stand-alone interpreter (lua.c from the
 * package, LIB_LUA_INTERPRETER) with its main() renamed. The language
 * itself is Lua's API: <lua.h>, <lauxlib.h>, <lualib.h>.
 */
#ifndef CAIRN_LUA_H
#define CAIRN_LUA_H

/*
 * Lua's command line, as `lua` on any system: `script [args]`, `-e
 * chunk`, `-i`, `-v`, `-` (standard input); no arguments: a
 * read-eval-print loop on standard input. argv[0] names the program in
 * messages. Returns 0 (EXIT_SUCCESS) when everything ran, 1 when a
 * chunk raised an error (its message and traceback on stderr).
 */
int cn_lua_main(int argc, char **argv);

#endif

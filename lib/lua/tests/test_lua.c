/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Lua 5.4 in the image: chunks run through the C API, each case checking
 * what the chunk returns (a string built by the chunk, compared here), so
 * a wrong answer anywhere in the language or its libraries shows as the
 * two strings side by side. Files go to a ramfs mounted on /lua-test.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <cairn/test.h>
#include <cairn/vfs.h>

static char result[512];

/*
 * Runs chunk in a fresh state with the standard libraries; returns the
 * status of loading+running it and leaves its first result (or the error
 * message) as a string in result.
 */
static int run(const char *chunk)
{
	lua_State *L = luaL_newstate();
	int rc;

	if (!L) {
		snprintf(result, sizeof(result), "(no state)");
		return -ENOMEM;
	}
	luaL_openlibs(L);
	rc = luaL_loadstring(L, chunk);
	if (rc == LUA_OK)
		rc = lua_pcall(L, 0, 1, 0);
	snprintf(result, sizeof(result), "%s",
		 lua_isnil(L, -1) ? "nil" : luaL_tolstring(L, -1, NULL));
	lua_close(L);
	return rc;
}

CN_TEST(lua, arithmetic_integers_and_floats)
{
	CN_ASSERT_EQ(run("return 7 // 2 .. ' ' .. 7 % 3 .. ' ' .. 2^10 .. "
			 "' ' .. 1/4 .. ' ' .. math.maxinteger .. ' ' .. "
			 "(math.maxinteger + 1 == math.mininteger and 'wrap') "
			 ".. ' ' .. math.type(3) .. ' ' .. math.type(3.0) .. "
			 "' ' .. 10 / 0 .. ' ' .. -7 // 2 .. ' ' .. (3 | 5)"),
		     LUA_OK);
	CN_EXPECT_STREQ(result, "3 1 1024.0 0.25 9223372036854775807 wrap "
			"integer float inf -4 7");
	CN_ASSERT_EQ(run("return math.floor(math.sqrt(2) * 1e6) .. ' ' .. "
			 "math.tointeger(2^53) .. ' ' .. "
			 "string.format('%.3f', math.pi) .. ' ' .. "
			 "tostring(0/0 ~= 0/0)"), LUA_OK);
	CN_EXPECT_STREQ(result, "1414213 9007199254740992 3.142 true");
}

CN_TEST(lua, strings_and_patterns)
{
	CN_ASSERT_EQ(run("local s = 'Hello, Cairn!' "
			 "return s:upper() .. '|' .. s:sub(-6, -2) .. '|' .. "
			 "s:rep(2, '-'):len() .. '|' .. "
			 "s:gsub('%w+', string.reverse) .. '|' .. "
			 "table.concat({s:match('(%a+), (%a+)')}, '+') .. '|' .. "
			 "s:find('Cairn', 1, true) .. '|' .. "
			 "string.byte('A') .. string.char(66) .. '|' .. "
			 "utf8.len('h\\u{e9}llo') .. '|' .. "
			 "string.pack('>I2', 258):byte(1, -1)"), LUA_OK);
	CN_EXPECT_STREQ(result, "HELLO, CAIRN!|Cairn|27|olleH, nriaC!|"
			"Hello+Cairn|8|65B|5|1");
}

CN_TEST(lua, string_format_of_floats)
{
	CN_ASSERT_EQ(run("return string.format('%g %g %.2f %e %5.1f %a %q "
			 "%d %x %s', 0.1, 1e20, 2/3, 12345.678, -3.14159, "
			 "1.0, 0.5, 42, 255, 1e100)"), LUA_OK);
	CN_EXPECT_STREQ(result, "0.1 1e+20 0.67 1.234568e+04  -3.1 0x1p+0 "
			"0x1p-1 42 ff 1e+100");
	CN_ASSERT_EQ(run("return tostring(3.0) .. ' ' .. tostring(-0.0) .. "
			 "' ' .. 1e15 .. ' ' .. 2^63 .. ' ' .. tonumber('0x10') "
			 ".. ' ' .. tonumber('  1.5e3 ') .. ' ' .. "
			 "tostring(tonumber('z', 36))"), LUA_OK);
	CN_EXPECT_STREQ(result, "3.0 -0.0 1e+15 9.2233720368548e+18 16 "
			"1500.0 35");
}

CN_TEST(lua, tables_sort_and_metatables)
{
	CN_ASSERT_EQ(run("local t = {} for i = 1, 1000 do t[i] = (i * 7919) "
			 "% 1000 end table.sort(t) "
			 "local ok = true for i = 2, #t do ok = ok and "
			 "t[i-1] <= t[i] end "
			 "local v = setmetatable({}, {__add = function(a, b) "
			 "return a.x + b end, __index = function(_, k) "
			 "return k * 2 end}) v.x = 40 "
			 "local m = {a = 1, b = 2, c = 3} local n = 0 "
			 "for k, val in pairs(m) do n = n + val end "
			 "table.insert(t, 1, -1) "
			 "return tostring(ok) .. ' ' .. #t .. ' ' .. t[1] .. ' ' "
			 ".. (v + 2) .. ' ' .. v[21] .. ' ' .. n .. ' ' .. "
			 "select('#', table.unpack({1, 2, 3})) .. ' ' .. "
			 "table.concat(table.move({1, 2, 3}, 1, 3, 2, {9}), ',')"),
		     LUA_OK);
	CN_EXPECT_STREQ(result, "true 1001 -1 42 42 6 3 9,1,2,3");
}

CN_TEST(lua, coroutines_and_closures)
{
	CN_ASSERT_EQ(run("local function gen(n) return coroutine.wrap("
			 "function() for i = 1, n do coroutine.yield(i * i) end "
			 "end) end "
			 "local out = {} for v in gen(5) do out[#out+1] = v end "
			 "local co = coroutine.create(function(a, b) "
			 "local c = coroutine.yield(a + b) return c * 2 end) "
			 "local _, x = coroutine.resume(co, 1, 2) "
			 "local _, y = coroutine.resume(co, 10) "
			 "local function counter() local c = 0 return function() "
			 "c = c + 1 return c end end "
			 "local f = counter() f() f() "
			 "return table.concat(out, ' ') .. '|' .. x .. ' ' .. y "
			 ".. ' ' .. coroutine.status(co) .. '|' .. f()"), LUA_OK);
	CN_EXPECT_STREQ(result, "1 4 9 16 25|3 20 dead|3");
}

CN_TEST(lua, pcall_error_and_gc)
{
	/* A chunk's name is its first line: "-- pcall" here. */
	CN_ASSERT_EQ(run("-- pcall\nlocal ok, e = pcall(error, {code = 7}) "
			 "local ok2, e2 = pcall(function() local x = nil "
			 "return x.y end) "
			 "local ok3, e3 = xpcall(function() error('boom', 0) end,"
			 " function(m) return 'handled ' .. m end) "
			 "local big = {} for i = 1, 100000 do big[i] = {i} end "
			 "big = nil collectgarbage() "
			 "return tostring(ok) .. ' ' .. e.code .. '|' .. "
			 "tostring(ok2) .. ' ' .. e2 .. '|' .. e3 .. '|' .. "
			 "math.type(collectgarbage('count'))"), LUA_OK);
	CN_EXPECT_STREQ(result, "false 7|false [string \"-- pcall...\"]:2: "
			"attempt to index a nil value (local 'x')|handled "
			"boom|float");
	/* An error escaping the chunk comes back as the call's status. */
	CN_EXPECT_EQ(run("error('escaped')"), LUA_ERRRUN);
	CN_EXPECT_STREQ(result, "[string \"error('escaped')\"]:1: escaped");
	CN_EXPECT_EQ(run("return 1 +"), LUA_ERRSYNTAX);
	CN_EXPECT_STREQ(result, "[string \"return 1 +\"]:1: unexpected "
			"symbol near <eof>");
}

CN_TEST(lua, os_time_clock_and_date)
{
	CN_ASSERT_EQ(run("local t = os.time() "
			 "local c0 = os.clock() local x = 0 "
			 "for i = 1, 200000 do x = x + i end "
			 "local c1 = os.clock() "
			 "return tostring(t > 1500000000) .. ' ' .. "
			 "tostring(c1 > c0) .. ' ' .. "
			 "os.time({year = 2000, month = 1, day = 1, hour = 0}) "
			 ".. ' ' .. os.date('!%Y-%m-%d %H:%M:%S', 86400 * 365) "
			 ".. ' ' .. math.type(os.time()) .. ' ' .. "
			 "tostring(os.getenv('CAIRN_NO_SUCH_VARIABLE'))"), LUA_OK);
	CN_EXPECT_STREQ(result, "true true 946684800 1971-01-01 00:00:00 "
			"integer nil");
}

CN_TEST(lua, io_on_ramfs)
{
	CN_ASSERT_EQ(cn_vfs_mkdir_p("/lua-test", 0755), 0);
	CN_ASSERT_EQ(cn_vfs_mount("ramfs", "/lua-test", 0, ""), 0);
	CN_EXPECT_EQ(run("local f = assert(io.open('/lua-test/a.txt', 'w')) "
			 "for i = 1, 3 do f:write('line ', i, '\\n') end "
			 "f:write(string.format('%5.2f\\n', 1.5)) f:close() "
			 "local lines = {} "
			 "for l in io.lines('/lua-test/a.txt') do "
			 "lines[#lines+1] = l end "
			 "local g = io.open('/lua-test/a.txt') "
			 "local size = g:seek('end') g:seek('set', 5) "
			 "local n = g:read('n') g:close() "
			 "local a = io.open('/lua-test/a.txt', 'a') a:write('x') "
			 "a:close() "
			 "local h = io.open('/lua-test/a.txt', 'rb') "
			 "local all = h:read('a') h:close() "
			 "assert(os.rename('/lua-test/a.txt', '/lua-test/b.txt')) "
			 "local missing, err = io.open('/lua-test/a.txt') "
			 "assert(os.remove('/lua-test/b.txt')) "
			 "return table.concat(lines, ',') .. '|' .. size .. ' ' .. "
			 "n .. ' ' .. #all .. ' ' .. all:sub(-1) .. '|' .. "
			 "tostring(missing) .. ' ' .. err"), LUA_OK);
	CN_EXPECT_STREQ(result, "line 1,line 2,line 3, 1.50|27 1 28 x|nil "
			"/lua-test/a.txt: No such file or directory");
	CN_EXPECT_EQ(cn_vfs_umount("/lua-test"), 0);
}

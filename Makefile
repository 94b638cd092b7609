# SPDX-License-Identifier: BSD-3-Clause
#
# Cairn's only entry point. `make help` lists the targets.
#
# Flow: APP names the application folder (remembered in $(O)/.app). The
# menu's inputs are generated into $(O)/kconfig/ from every drivers/**/Kconfig,
# lib/*/Kconfig and $(APP)/Kconfig; kconfig-conf turns $(O)/.config into
# auto.conf (for make) and autoconf.h (for C). Every component folder (arch,
# platform, drivers, libraries) has a lib.mk naming its library and sources
# (`lib-$(CONFIG_X) += name`, `name-srcs-y += file.c`); the app has app.mk
# (`app-srcs-y += main.c`). Each selected library is compiled into its own
# object (ld -r), so sections that only register themselves are never
# dropped, and the image is linked from those, picolibc and libgcc with
# --gc-sections. An optional second pass embeds function names.

MAKEFLAGS += --no-builtin-rules --no-builtin-variables --no-print-directory
SHELL := /bin/bash
.SUFFIXES:
.DEFAULT_GOAL := all

srctree := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
O ?= build
override O := $(abspath $(O))
PYTHON ?= $(shell command -v /usr/bin/python3 || command -v python3)

ifeq ($(V),1)
Q :=
show =
else
Q := @
show = @printf '  %-7s %s\n' '$(1)' '$(patsubst $(O)/%,%,$(2))';
endif

# ---------------------------------------------------------------------------
# Which app. APP on the command line wins and is remembered for later runs.
app-file := $(O)/.app
ifneq ($(origin APP),command line)
APP := $(shell cat $(app-file) 2>/dev/null)
endif
ifeq ($(APP),)
APP := $(srctree)/apps/httpd
endif
override APP := $(abspath $(APP))
APP_NAME := $(notdir $(APP))
# How messages name the app folder: relative to the tree, else absolute.
app-rel := $(patsubst $(srctree)/%,%,$(APP))
# The app is remembered only once its configuration succeeded: every
# kconfig run (kconf below) ends with this when it succeeds.
save-app = printf '%s\n' '$(APP)' > $(app-file)

config-targets := menuconfig nconfig defconfig olddefconfig oldconfig \
	savedefconfig allnoconfig alldefconfig
no-config-targets := $(config-targets) help clean distclean deps test bench \
	bench-% disk

# A line like `make APP=x defconfig run` runs each goal in turn, so the
# build sees the configuration the first goal wrote (as Linux does).
ifneq ($(filter $(config-targets),$(MAKECMDGOALS)),)
ifneq ($(filter-out $(config-targets),$(MAKECMDGOALS)),)
mixed-goals := 1
endif
endif

ifeq ($(mixed-goals),1)
$(MAKECMDGOALS): __sequential
	@:
__sequential:
	$(Q)for t in $(MAKECMDGOALS); do \
		$(MAKE) -f $(srctree)/Makefile $$t || exit $$?; done
.PHONY: __sequential $(MAKECMDGOALS)
else # ------------------------------------------------------- not mixed ----

ifeq ($(wildcard $(APP)/Kconfig),)
$(error cairn: APP=$(APP) is not an application folder (no Kconfig there; see doc/writing-an-app.md))
endif
ifeq ($(wildcard $(APP)/app.mk),)
$(error cairn: APP=$(APP) has no app.mk (see doc/writing-an-app.md))
endif

# ---------------------------------------------------------------------------
# Which platform. PLAT=name must name a folder of plat/; with defconfig it
# selects that platform (and the architecture its Kconfig entry depends
# on), with any other goal it checks that the configuration is for it.
plat-known := $(sort $(notdir $(patsubst %/Kconfig,%,$(wildcard $(srctree)/plat/*/Kconfig))))
ifneq ($(origin PLAT),undefined)
ifeq ($(filter $(PLAT),$(plat-known)),)
$(error cairn: PLAT=$(PLAT) is not a platform; the platforms are: $(plat-known))
endif
plat-sym := PLAT_$(shell echo '$(PLAT)' | tr 'a-z-' 'A-Z_')
plat-arch-sym := $(shell awk '/^[ \t]*config /{c=$$2} \
	c=="$(plat-sym)" && /depends on ARCH_/{print $$3; exit}' \
	$(srctree)/plat/Kconfig)
endif

# ---------------------------------------------------------------------------
# Host tools. Checked (and installed from Debian packages if root) once per
# build folder; `make deps` forces the check.
deps-stamp := $(O)/.deps-ok
$(deps-stamp):
	$(Q)mkdir -p $(O)
	$(Q)$(PYTHON) $(srctree)/support/deps.py tools --quiet
	$(Q)touch $@

deps:
	$(Q)$(PYTHON) $(srctree)/support/deps.py tools
	$(Q)$(PYTHON) $(srctree)/support/deps.py picolibc >/dev/null
	$(Q)mkdir -p $(O) && touch $(deps-stamp)

# ---------------------------------------------------------------------------
# Kconfig
kgen := $(O)/kconfig
lib-kconfigs := $(sort $(wildcard $(srctree)/lib/*/Kconfig))
drv-kconfigs := $(sort $(wildcard $(srctree)/drivers/*/Kconfig \
			$(srctree)/drivers/*/*/Kconfig))
all-kconfigs := $(srctree)/Kconfig $(wildcard $(srctree)/arch/Kconfig \
	$(srctree)/arch/*/Kconfig $(srctree)/plat/Kconfig \
	$(srctree)/plat/*/Kconfig) $(lib-kconfigs) $(drv-kconfigs) $(APP)/Kconfig

kconf-env := KCONFIG_CONFIG=$(O)/.config CN_KCONFIG_GEN=$(kgen) \
	srctree=$(srctree) \
	KCONFIG_AUTOCONFIG=$(O)/include/config/auto.conf \
	KCONFIG_AUTOHEADER=$(O)/include/generated/autoconf.h \
	KCONFIG_TRISTATE=$(O)/include/config/tristate.conf
kconf = cd $(O) && $(kconf-env) kconfig-$(1) $(2) $(srctree)/Kconfig && \
	$(save-app)

# The generated source lists are rewritten (at parse time, cheaply) only
# when their content changes, so adding or removing a library folder
# re-runs the configuration and an unchanged tree does not.
kgen-sync = $(shell printf '%s\n' $(2) \
	> $(kgen)/$(1).tmp && { cmp -s $(kgen)/$(1).tmp $(kgen)/$(1) || \
	mv $(kgen)/$(1).tmp $(kgen)/$(1); }; rm -f $(kgen)/$(1).tmp)
ifeq ($(filter help clean distclean,$(MAKECMDGOALS)),)
$(shell mkdir -p $(kgen) $(O)/include/config $(O)/include/generated)
$(call kgen-sync,libs.Kconfig,$(foreach f,$(lib-kconfigs),'source "$(f)"'))
$(call kgen-sync,drivers.Kconfig,$(foreach f,$(drv-kconfigs),'source "$(f)"'))
# kconfig-frontends does not expand environment symbols in a comment's
# text, so the app's folder is written into the generated file.
$(call kgen-sync,app.Kconfig,'comment "Application folder: $(app-rel) (choose another with make APP=path)"' 'source "$(APP)/Kconfig"')
endif
kgen-files := $(kgen)/libs.Kconfig $(kgen)/drivers.Kconfig $(kgen)/app.Kconfig

# The configuration a fresh `make` starts from: DEFCONFIG=file, else the
# app's defconfig, else every default.
DEFCONFIG ?= $(wildcard $(APP)/defconfig)
# With PLAT=name the platform's (and its architecture's) symbols are added
# to that configuration, and the result is checked.
plat-defconfig := $(O)/plat.defconfig
defconfig-arg = $(if $(plat-sym),--defconfig=$(plat-defconfig),$(if $(DEFCONFIG),--defconfig=$(abspath $(DEFCONFIG)),--alldefconfig))
define plat-select
$(if $(plat-sym),$(Q){ $(if $(DEFCONFIG),cat $(abspath $(DEFCONFIG));) \
	echo 'CONFIG_$(plat-sym)=y'; \
	$(if $(plat-arch-sym),echo 'CONFIG_$(plat-arch-sym)=y';) } > $(plat-defconfig))
endef
define plat-check
$(if $(plat-sym),$(Q)grep -qx 'CONFIG_PLAT="$(PLAT)"' $(O)/.config || { \
	echo 'cairn: error: PLAT=$(PLAT) could not be selected (see its dependencies in make menuconfig)' >&2; exit 1; })
endef

defconfig: $(deps-stamp)
	$(plat-select)
	$(Q)$(call kconf,conf,-s $(defconfig-arg))
	$(plat-check)
	@echo "  CONFIG  $(O)/.config for $(APP_NAME)$(if $(DEFCONFIG), from $(DEFCONFIG:$(srctree)/%=%))$(if $(plat-sym), on $(PLAT))"

olddefconfig oldconfig allnoconfig alldefconfig: $(deps-stamp)
	$(Q)$(call kconf,conf,--$@)

menuconfig nconfig: $(deps-stamp)
	$(Q)$(call kconf,$(patsubst %config,%conf,$(subst menu,m,$@)),)

savedefconfig: $(O)/.config
	$(Q)$(call kconf,conf,--savedefconfig=$(O)/defconfig)
	@echo "  SAVE    $(O)/defconfig (copy it to $(app-rel)/defconfig to keep it)"

$(O)/.config: | $(deps-stamp)
	@echo "  CONFIG  no $(O)/.config yet: starting from $(if $(DEFCONFIG),$(DEFCONFIG:$(srctree)/%=%),the defaults)"
	$(plat-select)
	$(Q)$(call kconf,conf,-s $(defconfig-arg))
	$(plat-check)

# auto.conf is included with `include`, not `-include`: make ignores a
# failure to remake an optional makefile and would build with the stale
# configuration, so a menu that does not parse must fail every build here
# (the recipe fails, auto.conf stays older than the Kconfig) until fixed.
autoconf := $(O)/include/generated/autoconf.h
$(O)/include/config/auto.conf: $(O)/.config $(all-kconfigs) $(kgen-files)
	$(Q)$(call kconf,conf,-s --olddefconfig)
	$(Q)$(call kconf,conf,-s --silentoldconfig)
	$(Q)touch $@
$(kgen-files): ;

# ---------------------------------------------------------------------------
# Build. Only when the goal needs a configuration.
ifneq ($(filter-out $(no-config-targets),$(or $(MAKECMDGOALS),all)),)
include $(O)/include/config/auto.conf
unquote = $(patsubst "%",%,$(1))
comma := ,
have-config := $(call unquote,$(CONFIG_ARCH))
endif

ifneq ($(have-config),)
ARCH := $(call unquote,$(CONFIG_ARCH))
ifneq ($(origin PLAT),undefined)
ifneq ($(PLAT),$(call unquote,$(CONFIG_PLAT)))
$(error cairn: PLAT=$(PLAT) but $(O)/.config is for $(call unquote,$(CONFIG_PLAT)); run make PLAT=$(PLAT) defconfig (or choose the platform in make menuconfig))
endif
endif
PLAT := $(call unquote,$(CONFIG_PLAT))

# The architecture's build facts (see the interface in doc/architecture.md):
# arch-cross-compile, arch-cflags, arch-ldflags, arch-qemu, arch-gdb.
ifeq ($(wildcard $(srctree)/arch/$(ARCH)/arch.mk),)
$(error cairn: architecture $(ARCH) has no arch/$(ARCH)/arch.mk)
endif
include $(srctree)/arch/$(ARCH)/arch.mk
CROSS_COMPILE ?= $(arch-cross-compile)
CC := $(CROSS_COMPILE)gcc
CXX := $(CROSS_COMPILE)g++
LD := $(CROSS_COMPILE)ld
OBJCOPY := $(CROSS_COMPILE)objcopy
NM := $(CROSS_COMPILE)nm
# A compiler prefix the user gave must exist; the architecture's own
# (Debian's cross tools) is installed by deps.py like the host tools.
ifeq ($(shell command -v $(CC)),)
ifneq ($(filter command line environment,$(origin CROSS_COMPILE)),)
$(error cairn: $(CC) not found: the $(ARCH) build needs a gcc for it (CROSS_COMPILE=$(CROSS_COMPILE)))
endif
endif
arch-deps-stamp := $(O)/.deps-ok-$(ARCH)
$(arch-deps-stamp): | $(deps-stamp)
	$(Q)$(PYTHON) $(srctree)/support/deps.py tools --quiet --arch $(ARCH) \
		--need make
	$(Q)touch $@

# picolibc, built once per version, architecture and flags into the cache
# by deps.py. The prefix is kept in an included makefile, so make re-reads
# it once made; it is rewritten when the compiler or architecture changes.
picolibc-prefix-file := $(O)/picolibc.mk
$(call kgen-sync,../picolibc.key,'$(ARCH) $(CC)')
-include $(picolibc-prefix-file)
$(picolibc-prefix-file): $(srctree)/support/deps.py $(O)/picolibc.key | $(deps-stamp) $(arch-deps-stamp)
	$(Q)p=$$($(PYTHON) $(srctree)/support/deps.py picolibc --arch $(ARCH) \
		--cc $(CC)) && printf 'picolibc := %s\n' "$$p" > $@

# Upstream sources from Debian source packages, fetched into the cache by
# deps.py on first use when a library that needs them is selected. Their
# paths are kept in an included makefile, like picolibc's prefix.
lwip-src-file := $(O)/lwip-src.mk
ifeq ($(CONFIG_LIB_LWIP),y)
-include $(lwip-src-file)
$(lwip-src-file): $(srctree)/support/deps.py | $(deps-stamp)
	$(Q)p=$$($(PYTHON) $(srctree)/support/deps.py source lwip) && \
		printf 'lwip-src := %s\n' "$$p" > $@
endif
# SQLite: the amalgamation deps.py makes from the source package.
sqlite-src-file := $(O)/sqlite-src.mk
ifeq ($(CONFIG_LIB_SQLITE),y)
-include $(sqlite-src-file)
$(sqlite-src-file): $(srctree)/support/deps.py | $(deps-stamp)
	$(Q)p=$$($(PYTHON) $(srctree)/support/deps.py sqlite) && \
		printf 'sqlite-src := %s\n' "$$p" > $@
endif
mbedtls-src-file := $(O)/mbedtls-src.mk
ifeq ($(CONFIG_LIB_MBEDTLS),y)
-include $(mbedtls-src-file)
$(mbedtls-src-file): $(srctree)/support/deps.py | $(deps-stamp)
	$(Q)p=$$($(PYTHON) $(srctree)/support/deps.py source mbedtls) && \
		printf 'mbedtls-src := %s\n' "$$p" > $@
endif
lua-src-file := $(O)/lua-src.mk
ifeq ($(CONFIG_LIB_LUA),y)
-include $(lua-src-file)
$(lua-src-file): $(srctree)/support/deps.py | $(deps-stamp)
	$(Q)p=$$($(PYTHON) $(srctree)/support/deps.py source lua5.4) && \
		printf 'lua-src := %s\n' "$$p" > $@
endif
zlib-src-file := $(O)/zlib-src.mk
ifeq ($(CONFIG_LIB_ZLIB),y)
-include $(zlib-src-file)
$(zlib-src-file): $(srctree)/support/deps.py | $(deps-stamp)
	$(Q)p=$$($(PYTHON) $(srctree)/support/deps.py source zlib) && \
		printf 'zlib-src := %s\n' "$$p" > $@
endif

# Component folders: the architecture, the platform, every driver and every
# library that has a lib.mk. Including them all is cheap; the CONFIG_
# symbols decide which end up in lib-y.
comp-dirs := $(srctree)/arch/$(ARCH) $(srctree)/plat/$(PLAT) \
	$(patsubst %/lib.mk,%,$(sort $(wildcard $(srctree)/drivers/*/lib.mk \
		$(srctree)/drivers/*/*/lib.mk $(srctree)/lib/*/lib.mk)))

define include-comp
known-libs := $$(lib-y) $$(lib-n) $$(lib-)
include $(1)/lib.mk
$$(foreach l,$$(filter-out $$(known-libs),$$(lib-y) $$(lib-n) $$(lib-)),\
	$$(if $$($$(l)-dir),,$$(eval $$(l)-dir := $(1))))
endef
lib-y :=
image-ldflags-y :=
image-libs-y :=
global-cflags-y :=
$(foreach d,$(comp-dirs),$(eval $(call include-comp,$(d))))
include $(APP)/app.mk
lib-y := $(sort $(lib-y))

# Objects mirror the source tree; a library whose sources live outside it
# (upstream code from the cache, e.g. lwIP) builds in $(O)/ext/<name>.
odir = $(if $(filter $(srctree)/%,$($(1)-dir)),$(O)/$(patsubst $(srctree)/%,%,$($(1)-dir)),$(if $(filter app-%,$(1)),$(O)/app/$(APP_NAME),$(O)/ext/$(1)))

opt-flags-$(CONFIG_BUILD_OPT_O2) := -O2
opt-flags-$(CONFIG_BUILD_OPT_OS) := -Os
opt-flags-$(CONFIG_BUILD_OPT_OG) := -Og

# The host compiler says "Linux"; an image is not: portable code that tests
# __linux__ must not take its Linux-only paths. __cairn__ says what it is.
target-cflags := -U__linux__ -U__linux -Ulinux -U__gnu_linux__ -D__cairn__=1
COMMON_CFLAGS := -std=gnu11 $(arch-cflags) $(target-cflags) -ffreestanding -fno-stack-protector \
	-fno-omit-frame-pointer \
	-fno-optimize-sibling-calls -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-common -fno-plt \
	$(opt-flags-y) $(if $(CONFIG_BUILD_DEBUG_INFO),-g) \
	-Wall -Wextra -Wno-unused-parameter -Wmissing-prototypes \
	$(if $(CONFIG_BUILD_WERROR),-Werror) \
	-nostdinc -isystem $(picolibc)/include \
	-isystem $(shell $(CC) -print-file-name=include) \
	-include $(autoconf) -I$(O)/include $(global-cflags-y) \
	$(foreach l,$(lib-y),$(if $(wildcard $($(l)-dir)/include),-I$($(l)-dir)/include)) \
	$(EXTRA_CFLAGS)

libgcc := $(shell $(CC) $(arch-cflags) -print-libgcc-file-name)

# C++ (.cc and .cpp sources, lib/cxx): the C flags but C++17, with the
# compiler's libstdc++ headers ahead of picolibc's (they include_next the
# C headers). Exceptions and RTTI follow lib/cxx's menu: without them g++
# refuses a throw or a dynamic_cast with an error that says so. Evaluated
# only when a C++ source is compiled.
cxx-incdirs = $(shell echo | $(CXX) $(arch-cflags) -xc++ -E -v - 2>&1 | \
	sed -n 's,^ \(/.*c++.*\),\1,p')
COMMON_CXXFLAGS = -std=gnu++17 $(foreach d,$(cxx-incdirs),-isystem $(d)) \
	$(filter-out -std=gnu11 -Wmissing-prototypes -ffreestanding,$(COMMON_CFLAGS)) \
	$(if $(CONFIG_LIB_CXX_EXCEPTIONS),-fexceptions -frtti,-fno-exceptions -fno-rtti)

# Reproducible images: the same sources and configuration give the same
# bytes wherever the tree, the build folder (O=) and the cache are. Paths
# compiled in (__FILE__ in log and assert lines, DWARF file names) are
# written relative: the tree's files as lib/core/boot.c, the build folder
# as build/, an app outside the tree as <app name>/, picolibc and lwIP (in
# the cache) as picolibc/, lwip/, mbedtls/, lua/ and zlib/. GCC applies the last map that
# matches, so the general ones come first.
file-prefix-map = -ffile-prefix-map=$(1)=$(2)
COMMON_CFLAGS += \
	$(if $(filter-out $(srctree),$(CURDIR)),$(call file-prefix-map,$(CURDIR),.)) \
	$(call file-prefix-map,$(srctree),.) \
	$(call file-prefix-map,$(srctree)/,) \
	$(if $(filter $(srctree)/%,$(APP)),,$(call file-prefix-map,$(APP)/,$(APP_NAME)/)) \
	$(call file-prefix-map,$(O)/,build/) \
	$(if $(picolibc),$(call file-prefix-map,$(picolibc)/,picolibc/)) \
	$(if $(lwip-src),$(call file-prefix-map,$(lwip-src)/,lwip/)) \
	$(if $(sqlite-src),$(call file-prefix-map,$(sqlite-src)/,sqlite/)) \
	$(if $(mbedtls-src),$(call file-prefix-map,$(mbedtls-src)/,mbedtls/)) \
	$(if $(lua-src),$(call file-prefix-map,$(lua-src)/,lua/)) \
	$(if $(zlib-src),$(call file-prefix-map,$(zlib-src)/,zlib/))

# Objects depend on this file, rewritten only when the flags change, so
# that changing a build option or EXTRA_CFLAGS rebuilds what it affects.
flags-file := $(O)/include/generated/cflags
$(call kgen-sync,../include/generated/cflags,'$(subst ','\'',$(COMMON_CFLAGS))')

# The unwinder's tables: link.ld INCLUDEs this file, which keeps .eh_frame
# (lib/cxx registers it) only when C++ exceptions are on; otherwise link.ld
# discards it, as C is built without unwind tables anyway.
eh-frame-ld := $(O)/include/generated/cn_eh_frame.ld
$(call kgen-sync,../include/generated/cn_eh_frame.ld,$(if $(CONFIG_LIB_CXX_EXCEPTIONS),'INCLUDE $(srctree)/lib/cxx/eh_frame.ld','/* No C++ exceptions in this image: .eh_frame is discarded. */'))

# A component may add image-ldflags-y (--defsym before the linker script,
# e.g. the platform's load address) and global-cflags-y (flags for every
# unit, e.g. the POSIX features it provides); objects depend on the flags
# file, so they are rebuilt when these change.
# Per library: objects in the mirror of its folder, one relocatable
# built-in.o. $(1) = library name, $(2) = its sources variable.
# g++ is asked for (and installed as root) by the first C++ source a
# build compiles, not by every build (support/deps.py OPTIONAL_TOOLS).
cxx-deps-stamp := $(O)/.deps-ok-cxx
$(cxx-deps-stamp): | $(deps-stamp)
	$(Q)$(PYTHON) $(srctree)/support/deps.py tools --quiet --need $(notdir $(CXX))
	$(Q)touch $@

define lib-rules
$(1)-objs := $$(addprefix $$(call odir,$(1))/,$$(addsuffix .o,$$(basename $$($(2)))))
$$(if $$(filter-out 1,$$(words $$($(1)-objs)) $$(words $$(sort $$($(1)-objs)))),\
	$$(if $$(filter-out $$(words $$($(1)-objs)),$$(words $$(sort $$($(1)-objs)))),\
	$$(error cairn: library $(1) has two sources with the same name and \
	different suffixes ($$($(2))); rename one)))
$$(call odir,$(1))/%.o: CN_LIB := $(1)
$$(call odir,$(1))/%.o: CN_LIB_DIR := $$($(1)-dir)
$$(call odir,$(1))/%.o: $$($(1)-dir)/%.c $$(autoconf) $$(flags-file) $$(picolibc-prefix-file)
	$$(call show,CC,$$@)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(COMMON_CFLAGS) -I$$(CN_LIB_DIR) -DCN_LIBNAME='"$$(CN_LIB)"' \
		$$($(1)-cflags-y) $$(APP_CFLAGS) -MMD -MP -c -o $$@ $$<
$$(call odir,$(1))/%.o: $$($(1)-dir)/%.cc $$(autoconf) $$(flags-file) $$(picolibc-prefix-file) | $$(cxx-deps-stamp)
	$$(call show,CXX,$$@)mkdir -p $$(@D)
	$$(Q)$$(CXX) $$(COMMON_CXXFLAGS) -I$$(CN_LIB_DIR) -DCN_LIBNAME='"$$(CN_LIB)"' \
		$$($(1)-cxxflags-y) $$(APP_CXXFLAGS) -MMD -MP -c -o $$@ $$<
$$(call odir,$(1))/%.o: $$($(1)-dir)/%.cpp $$(autoconf) $$(flags-file) $$(picolibc-prefix-file) | $$(cxx-deps-stamp)
	$$(call show,CXX,$$@)mkdir -p $$(@D)
	$$(Q)$$(CXX) $$(COMMON_CXXFLAGS) -I$$(CN_LIB_DIR) -DCN_LIBNAME='"$$(CN_LIB)"' \
		$$($(1)-cxxflags-y) $$(APP_CXXFLAGS) -MMD -MP -c -o $$@ $$<
$$(call odir,$(1))/%.o: $$($(1)-dir)/%.S $$(autoconf) $$(flags-file)
	$$(call show,AS,$$@)mkdir -p $$(@D)
	$$(Q)$$(CC) $$(COMMON_CFLAGS) -D__ASSEMBLY__ -I$$(CN_LIB_DIR) \
		$$($(1)-cflags-y) -MMD -MP -c -o $$@ $$<
$$(call odir,$(1))/built-in.o: $$($(1)-objs)
	$$(call show,LD,$$@)$$(LD) -r -o $$@ $$^
lib-builtins += $$(if $$($(1)-objs),$$(call odir,$(1))/built-in.o)
all-objs += $$($(1)-objs)
endef
lib-builtins :=
all-objs :=
$(foreach l,$(lib-y),$(eval $(call lib-rules,$(l),$(l)-srcs-y)))
app-builtin-name := app-$(APP_NAME)
$(app-builtin-name)-dir := $(APP)
$(app-builtin-name)-srcs-y := $(app-srcs-y)
$(app-builtin-name)-cflags-y := $(app-cflags-y)
$(app-builtin-name)-cxxflags-y := $(app-cxxflags-y)
$(eval $(call lib-rules,$(app-builtin-name),app-srcs-y))

-include $(all-objs:.o=.d)

IMAGE := $(O)/$(APP_NAME)_$(PLAT)
ldscript := $(srctree)/arch/$(ARCH)/link.ld
LDFLAGS := -static -nostdlib --gc-sections -z max-page-size=4096 \
	-z noexecstack --build-id=none --no-warn-rwx-segments \
	$(arch-ldflags) $(image-ldflags-y) $(EXTRA_LDFLAGS) \
	-L$(O)/include/generated -T $(ldscript)
# A library may add archives of the compiler's (image-libs-y: lib/cxx's
# libstdc++, libsupc++, libgcc_eh), searched with the C library's.
link-inputs = $(lib-builtins) --start-group $(image-libs-y) \
	$(picolibc)/lib/libc.a $(libgcc) --end-group

# Pass 1 links without names; its text addresses are final because the
# name table is placed after all code (see link.ld). Pass 2 adds the table
# and support/gensyms.py checks that no function moved.
ifeq ($(CONFIG_BUILD_SYMBOLS),y)
$(O)/syms.S: $(IMAGE).pass1
	$(call show,SYMS,$@)$(PYTHON) $(srctree)/support/gensyms.py $(NM) $< $@
$(O)/syms.o: $(O)/syms.S
	$(call show,AS,$@)$(CC) -c -o $@ $<
$(IMAGE).pass1: $(lib-builtins) $(ldscript) $(eh-frame-ld) $(picolibc-prefix-file)
	$(call show,LD,$@)$(LD) $(LDFLAGS) -o $@ $(link-inputs)
$(IMAGE).elf: $(O)/syms.o
	$(call show,LD,$@)$(LD) $(LDFLAGS) -Map=$(IMAGE).map -o $@ $(link-inputs) $(O)/syms.o
	$(Q)$(PYTHON) $(srctree)/support/gensyms.py --check $(NM) $(IMAGE).pass1 $@
else
$(IMAGE).elf: $(lib-builtins) $(ldscript) $(eh-frame-ld) $(picolibc-prefix-file)
	$(call show,LD,$@)$(LD) $(LDFLAGS) -Map=$(IMAGE).map -o $@ $(link-inputs)
endif

# The platform may ask for another form of the bootable file (an arm64
# Linux Image is the raw binary: -O binary); the default is the stripped ELF.
image-objcopy-flags ?= --strip-all
$(IMAGE): $(IMAGE).elf
	$(call show,STRIP,$@)$(OBJCOPY) $(image-objcopy-flags) $< $@
	@printf '  IMAGE   %s: %s bytes (stripped; symbols and debug info in %s)\n' \
		'$(patsubst $(O)/%,%,$@)' "$$(stat -c %s $@)" '$(patsubst $(O)/%,%,$<)'

all: $(IMAGE)

# The flat copy for Multiboot1 loaders that cannot read ELF64, QEMU's own
# -kernel among them (support/mbimage.py says why it is a separate file).
ifeq ($(CONFIG_ARCH_X86_64),y)
$(IMAGE).mb: $(IMAGE).elf $(srctree)/support/mbimage.py
	$(call show,MBIMAGE,$@)$(PYTHON) $(srctree)/support/mbimage.py $< $@
all: $(IMAGE).mb
endif

size: $(IMAGE)
	$(Q)$(PYTHON) $(srctree)/support/size.py $(IMAGE).map $(IMAGE) \
		$(foreach l,$(lib-y) $(app-builtin-name),$(l)=$(call odir,$(l))/built-in.o)

initorder: $(IMAGE)
	$(Q)$(PYTHON) $(srctree)/support/initorder.py $(IMAGE).map

# Run flags: MACHINE, MEM, ACCEL, CPU override the configured defaults;
# PARAMS are library parameters, ARGS the app's argv; QEMU_FLAGS are added.
MACHINE ?= $(call unquote,$(CONFIG_PLAT_QEMU_MACHINE))
MEM ?= $(call unquote,$(CONFIG_PLAT_QEMU_MEMORY))
# Devices follow the drivers in the image: virtio-net brings a NIC on QEMU
# user networking (HOSTFWD="tcp:127.0.0.1:8080-:80 ..." forwards ports;
# default: the app's app-hostfwd),
# virtio-blk a disk: DISK=file (default $(O)/disk.img, made empty at
# 64 MiB on first use), DISK_RO=1 to attach it read-only. NET=none or
# DISK= leave them out; virtio-rng an entropy source (RNG=on; RNG= leaves
# it out). NIC=virtio|e1000|rtl8139 chooses the NIC model (default virtio).
# NET=tap (as root) puts the NIC on a new tap device with a host address
# instead, removed when QEMU exits; NET=tap:NAME on an existing tap
# (support/qemu.py, doc/deploying.md).
NET ?= $(if $(CONFIG_DRV_VIRTIO_NET)$(CONFIG_DRV_E1000)$(CONFIG_DRV_RTL8139),user,none)
RNG ?= $(if $(CONFIG_DRV_VIRTIO_RNG),on)
default-disk := $(O)/disk.img
# DISKIF=nvme attaches the disks as NVMe controllers instead (drivers/nvme).
DISKIF ?=
DISK ?= $(if $(if $(filter nvme,$(DISKIF)),$(CONFIG_DRV_NVME),$(CONFIG_DRV_VIRTIO_BLK)),$(default-disk))
# An app may name its forwards in app.mk (app-hostfwd := tcp:...).
HOSTFWD ?= $(if $(filter user,$(NET)),$(app-hostfwd))
# SHARE=folder[:/guestpath][,ro] (several: space-separated) shares host
# folders over virtio-9p, mounted at /share by default; the app's initrd
# is then left out by default (unpacked into "/", it would be written
# into a folder shared on its path).
SHARE ?=
check-share = $(if $(SHARE),$(if $(CONFIG_DRV_VIRTIO_9P),,$(error SHARE= \
	needs the virtio-9p driver: enable it in make menuconfig (Drivers > \
	virtio-9p))))
want-devices := $(strip $(filter-out none,$(NET)) $(if $(filter nvme,$(DISKIF)),,$(DISK)) $(SHARE) $(filter on,$(RNG)))
check-transport = $(if $(want-devices),$(if $(filter microvm virt,$(MACHINE)),\
	$(if $(CONFIG_DRV_VIRTIO_MMIO),,$(error virtio devices on $(MACHINE) \
	need the virtio-mmio transport: enable it in make menuconfig \
	(Drivers > virtio core))),$(if $(CONFIG_DRV_VIRTIO_PCI),,\
	$(error virtio devices on $(MACHINE) need the virtio-pci transport: \
	enable it in make menuconfig (Drivers > virtio core) or run \
	MACHINE=$(if $(filter virt-pci,$(MACHINE)),virt,microvm)))))
# ARGS, PARAMS and QEMU_FLAGS reach the launcher exactly as typed: the raw
# value (no make expansion of `$`) in single quotes for the shell, each
# quote written '\''. The guest then splits the command line by the rules
# in README.md (double quotes group, backslash escapes).
shell-quote = '$(subst ','\'',$(1))'
run-cmd = $(PYTHON) $(srctree)/support/qemu.py --kernel $(IMAGE) \
	--plat $(PLAT) --qemu $(arch-qemu) --machine $(MACHINE) --mem $(MEM) $(if $(ACCEL),--accel $(ACCEL)) \
	$(if $(CPU),--cpu $(CPU)) $(if $(TIMEOUT),--timeout $(TIMEOUT)) \
	$(if $(GIC),--gic $(GIC)) $(if $(SMP),--smp $(SMP)) \
	--net $(NET) $(if $(NIC),--nic $(NIC)) \
	$(foreach h,$(HOSTFWD),--hostfwd $(h)) \
	$(foreach d,$(DISK),--disk $(d)$(if $(DISK_RO),$(comma)ro)) \
	$(if $(DISKIF),--diskif $(DISKIF)) \
	$(foreach s,$(SHARE),--share $(s)) \
	$(if $(filter on,$(RNG)),--rng) \
	--from-make --params=$(call shell-quote,$(value PARAMS)) \
	--args=$(call shell-quote,$(value ARGS)) \
	$(if $(QEMU_FLAGS),--extra=$(call shell-quote,$(value QEMU_FLAGS))) \
	$(if $(INITRD),--initrd $(INITRD)) $(if $(FIRMWARE),--firmware $(FIRMWARE))
# BOOT_IMAGE=file boots an ISO or disk of make image through the firmware
# (FIRMWARE=seabios, or ovmf for UEFI) instead of -kernel: the command line
# and initrd are the ones written into it, the disk is the boot medium.
boot-image-cmd = $(PYTHON) $(srctree)/support/qemu.py \
	--boot-image $(BOOT_IMAGE) $(if $(FIRMWARE),--firmware $(FIRMWARE)) \
	--plat $(PLAT) --qemu $(arch-qemu) --machine $(MACHINE) --mem $(MEM) $(if $(ACCEL),--accel $(ACCEL)) \
	$(if $(CPU),--cpu $(CPU)) $(if $(TIMEOUT),--timeout $(TIMEOUT)) \
	$(if $(SMP),--smp $(SMP)) \
	--net $(NET) $(if $(NIC),--nic $(NIC)) $(foreach h,$(HOSTFWD),--hostfwd $(h)) \
	$(if $(filter on,$(RNG)),--rng) --from-make \
	$(if $(QEMU_FLAGS),--extra=$(call shell-quote,$(value QEMU_FLAGS)))

# The app's files: its rootfs/ (or LIB_INITRD_EMBED_DIR) packed into a cpio
# archive by support/mkinitrd.py (reproducible; rewritten only when its
# content changes). make run passes it with -initrd when the app has a
# rootfs/ and the image does not link it in; INITRD=file passes another
# archive, INITRD= none.
initrd-file := $(O)/initrd.cpio
initrd-src := $(call unquote,$(CONFIG_LIB_INITRD_EMBED_DIR))
initrd-src := $(if $(initrd-src),$(if $(filter /%,$(initrd-src)),$(initrd-src),$(APP)/$(initrd-src)),$(APP)/rootfs)
INITRD ?= $(if $(SHARE)$(CONFIG_LIB_INITRD_EMBED),,$(if $(wildcard $(APP)/rootfs),$(initrd-file)))
ifeq ($(CONFIG_LIB_HTTPD_TLS_SELF_SIGNED),y)
# HTTPS's self-signed certificate for localhost (lib/httpd, Kconfig):
# made once per build folder with the host's openssl, packed with the
# app's files as /etc/tls/{cert,key}.pem from a staging copy.
tls-dir := $(O)/tls
initrd-stage := $(O)/initrd-root
$(tls-dir)/cert.pem: | $(deps-stamp)
	$(Q)$(PYTHON) $(srctree)/support/deps.py tools --quiet --need openssl
	@echo '  TLS     $@ (self-signed, localhost, ECDSA P-256)'
	$(Q)mkdir -p $(tls-dir) && openssl req -x509 -newkey ec \
		-pkeyopt ec_paramgen_curve:P-256 -nodes -sha256 -days 3650 \
		-subj /CN=localhost \
		-addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
		-keyout $(tls-dir)/key.pem -out $@.tmp 2>/dev/null && \
		mv $@.tmp $@
$(initrd-file): FORCE $(tls-dir)/cert.pem
	$(Q)rm -rf $(initrd-stage) && mkdir -p $(initrd-stage)/etc/tls && \
		if [ -d $(initrd-src) ]; then cp -R $(initrd-src)/. $(initrd-stage)/; fi && \
		cp $(tls-dir)/cert.pem $(tls-dir)/key.pem $(initrd-stage)/etc/tls/
	$(Q)$(PYTHON) $(srctree)/support/mkinitrd.py --if-changed $(initrd-stage) $@
else
$(initrd-file): FORCE
	$(Q)$(PYTHON) $(srctree)/support/mkinitrd.py --if-changed --empty-ok $(initrd-src) $@
endif

$(default-disk):
	@echo '  DISK    $@ (64 MiB, empty)'
	$(Q)truncate -s 64M $@

ifneq ($(BOOT_IMAGE),)
run:
	$(check-transport)
	$(Q)$(boot-image-cmd)
else
run: $(IMAGE) $(filter $(default-disk),$(DISK)) $(filter $(initrd-file),$(INITRD))
	$(check-share)
	$(check-transport)
	$(Q)$(run-cmd)
endif

# QEMU halted with its gdb stub; gdb attached on a terminal (GDB=none:
# print the command), with support/gdb/cairn.py (thread commands).
GDB_PORT ?= 1234
GDB ?= $(arch-gdb)
debug: $(IMAGE) $(filter $(default-disk),$(DISK)) $(filter $(initrd-file),$(INITRD))
	$(check-share)
	$(check-transport)
	$(Q)$(PYTHON) $(srctree)/support/gdb/debug.py --elf $(IMAGE).elf \
		--port $(GDB_PORT) --gdb '$(GDB)' $(if $(TIMEOUT),--timeout $(TIMEOUT)) \
		-- $(run-cmd)

# Another VMM's configuration for the image (support/image/vmmconfig.py,
# doc/deploying.md): VMM=firecracker|cloud-hypervisor|libvirt|qemu-microvm,
# written to OUT (default $(O)/vmm/<VMM>.json|.sh|.xml) with make run's
# initrd, DISK, NET (NET=tap:NAME names the tap), MEM, SMP, PARAMS, ARGS;
# SERIAL_FILE=file: libvirt's console into that file instead of a pty.
vmm-ext = $(if $(filter firecracker,$(VMM)),json,$(if $(filter libvirt,$(VMM)),xml,sh))
vmm-config: $(IMAGE) $(filter $(default-disk),$(DISK)) $(filter $(initrd-file),$(INITRD))
	$(Q)$(PYTHON) $(srctree)/support/image/vmmconfig.py --vmm '$(VMM)' \
		--kernel $(IMAGE) $(if $(INITRD),--initrd $(INITRD)) \
		$(foreach d,$(DISK),--disk $(d)$(if $(DISK_RO),$(comma)ro)) \
		--net $(NET) $(foreach h,$(HOSTFWD),--hostfwd $(h)) --mem $(MEM) \
		--smp $(or $(SMP),1) --emulator $(or $(shell command -v $(arch-qemu)),/usr/bin/$(arch-qemu)) \
		$(if $(SERIAL_FILE),--serial-file $(SERIAL_FILE)) \
		--params=$(call shell-quote,$(value PARAMS)) \
		--args=$(call shell-quote,$(value ARGS)) \
		--out $(or $(OUT),$(O)/vmm/$(VMM).$(vmm-ext))

# OCI images of the image (support/image/oci.py, doc/deploying.md): one
# layout at OUT (default $(O)/oci) with a KubeVirt containerDisk
# (ref containerdisk: DISKIMAGE, else the data disk or the image as qcow2,
# under /disk/; kernel and initrd under /boot/) and an urunc image (ref
# urunc: /unikernel/, com.urunc.unikernel.* annotations, HYPERVISOR=qemu);
# DOCKER_ARCHIVE=1 also writes OUT.tar for docker load.
oci: $(IMAGE) $(filter $(default-disk),$(DISK)) $(filter $(initrd-file),$(INITRD))
	$(Q)$(PYTHON) $(srctree)/support/deps.py deploy-tools --quiet
	$(Q)$(PYTHON) $(srctree)/support/image/oci.py --out $(or $(OUT),$(O)/oci) \
		--kernel $(IMAGE) $(if $(INITRD),--initrd $(INITRD)) \
		$(if $(DISKIMAGE),--disk-image $(DISKIMAGE)) \
		$(if $(firstword $(DISK)),--data-disk $(firstword $(DISK))) \
		--hypervisor $(or $(HYPERVISOR),qemu) $(if $(DOCKER_ARCHIVE),--docker-archive) \
		--cmdline=$(call shell-quote,$(strip $(value PARAMS) $(if $(value ARGS),-- $(value ARGS))))

else ifeq ($(filter-out $(no-config-targets),$(or $(MAKECMDGOALS),all)),)
else
# No configuration yet: make one, then run the same goals again.
$(filter-out $(no-config-targets),$(or $(MAKECMDGOALS),all)): $(O)/include/config/auto.conf
	$(Q)$(MAKE) -f $(srctree)/Makefile $@
endif # have-config

endif # mixed-goals

clean:
	$(Q)if [ -d $(O) ]; then find $(O) -mindepth 1 -maxdepth 1 \
		! -name .config ! -name .config.old ! -name .app ! -name defconfig \
		! -name .deps-ok -exec rm -rf {} +; fi
	@echo "  CLEAN   $(O) (configuration kept)"

distclean:
	$(Q)rm -rf $(O)
	@echo "  CLEAN   $(O) (everything)"

# SMP=N: every test image built with SMP and booted on N CPUs
# (tests/cairn.py, CAIRN_TEST_SMP).
test:
	$(Q)$(if $(SMP),CAIRN_TEST_SMP='$(SMP)') $(PYTHON) $(srctree)/tests/run.py \
		$(if $(TESTS),--only '$(TESTS)')

# Benchmarks: support/bench/<name>/bench.py, run by support/bench/__main__.py
# from the tree root; each builds into $(O)/bench-<name>.
bench:
	$(Q)cd $(srctree) && $(PYTHON) -m support.bench all --O $(O)

bench-%:
	$(Q)cd $(srctree) && $(PYTHON) -m support.bench $* --O $(O)/bench-$*

# A FAT disk image (support/mkdisk.py; dosfstools and mtools installed on
# first use): SIZE=64M, FAT=12|16|32 (default: mkfs.fat's choice),
# FROM=folder copied in, PART=mbr|gpt (the volume in partition 1),
# OUT=file (default $(O)/disk.img, which make run attaches).
disk:
	$(Q)$(PYTHON) $(srctree)/support/mkdisk.py --out $(or $(OUT),$(O)/disk.img) \
		--size $(or $(SIZE),64M) $(if $(FAT),--fat $(FAT)) \
		$(if $(FROM),--from $(FROM)) $(if $(PART),--part $(PART))

# A bootable ISO or disk of the image (support/image/mkimage.py; GRUB,
# xorriso, mtools, qemu-img installed on first use): FORMAT=iso|raw|qcow2|
# vmdk|vdi, OUT=file (default $(IMAGE).<format>). GRUB boots it through
# Multiboot2 under BIOS and UEFI with PARAMS and ARGS in its grub.cfg and
# the app's initrd as its module; disks carry the app's rootfs/ as a FAT
# partition, mounted at /data when the image has fatfs and virtio-blk.
FORMAT ?= iso
image-ext = $(if $(filter raw,$(FORMAT)),img,$(FORMAT))
image: $(IMAGE) $(filter $(initrd-file),$(INITRD))
	$(Q)$(PYTHON) $(srctree)/support/image/mkimage.py --kernel $(IMAGE) \
		--format $(call shell-quote,$(FORMAT)) \
		--out $(or $(OUT),$(IMAGE).$(image-ext)) --name $(APP_NAME) \
		$(if $(INITRD),--initrd $(INITRD)) \
		$(if $(wildcard $(initrd-src)),--rootfs $(initrd-src)) \
		$(if $(CONFIG_LIB_FATFS),$(if $(CONFIG_DRV_VIRTIO_BLK),--mount-rootfs)) \
		--mounts=$(call shell-quote,$(subst ",,$(CONFIG_LIB_VFS_MOUNTS))) \
		--params=$(call shell-quote,$(value PARAMS)) \
		--args=$(call shell-quote,$(value ARGS))

help:
	@echo 'Cairn: build a library operating system image for one app.'
	@echo ''
	@echo 'Configuration (stored in O=$(O:$(CURDIR)/%=%)/.config):'
	@echo '  menuconfig      choose architecture, platform, libraries, app options'
	@echo '  defconfig       start from the app defconfig (or DEFCONFIG=file)'
	@echo '  olddefconfig    update .config, new options at their default'
	@echo '  savedefconfig   write the minimal config to O/defconfig'
	@echo '  allnoconfig, alldefconfig, oldconfig, nconfig'
	@echo ''
	@echo 'Build and run:'
	@echo '  all (default)   build the image; prints its size'
	@echo '  run             build and boot in QEMU (Ctrl-A X stops it); a status N'
	@echo '                  other than 0 ends make with "Error N" (README.md)'
	@echo '  debug           boot halted with the gdb stub and start gdb (or print its command)'
	@echo '  size            bytes per library in the image'
	@echo '  initorder       the init functions in the order they run'
	@echo '  test            build and boot every test image, run host tests'
	@echo '                  (TESTS=pattern runs the matching ones; SMP=N builds every'
	@echo '                  test image with SMP and boots it on N CPUs)'
	@echo '  bench           every benchmark below, then one summary table'
	@cd $(srctree) && $(PYTHON) -m support.bench list
	@echo '  vmm-config      another VMM'\''s config for the image: VMM=firecracker|'
	@echo '                  cloud-hypervisor|libvirt|qemu-microvm (OUT=file)'
	@echo '  oci             OCI image layout (build/oci): KubeVirt containerDisk and'
	@echo '                  urunc image; DISKIMAGE=file HYPERVISOR=qemu DOCKER_ARCHIVE=1'
	@echo '  disk            a FAT disk image: SIZE=64M FAT=12|16|32 FROM=folder'
	@echo '                  PART=mbr|gpt OUT=file (default build/disk.img)'
	@echo '  image           a bootable ISO or disk (GRUB, BIOS and UEFI):'
	@echo '                  FORMAT=iso|raw|qcow2|vmdk|vdi OUT=file PARAMS= ARGS='
	@echo '  deps            install missing host tools and build picolibc now'
	@echo '  clean           remove build products, keep .config'
	@echo '  distclean       remove the whole build folder'
	@echo ''
	@echo 'Variables:'
	@echo '  APP=path        application folder (default apps/httpd; remembered)'
	@echo '  O=dir           build folder (default build)'
	@echo '  PLAT=name       with defconfig: configure for this platform (qemu-x86_64,'
	@echo '                  the default, or qemu-aarch64); otherwise check that'
	@echo '                  the configuration is for it'
	@echo '  CROSS_COMPILE=prefix  compiler prefix (default: the architecture'\''s, none on x86_64)'
	@echo '  V=1             show full commands'
	@echo '  ARGS="a b"      the app'\''s argv;  PARAMS="log.level=debug" library parameters'
	@echo '  MACHINE=pc|microvm|virt  MEM=64M  ACCEL=tcg|kvm  CPU=model  TIMEOUT=s'
	@echo '  GIC=2|3         interrupt controller of -M virt (qemu-aarch64)'
	@echo '  SMP=N           N CPUs (QEMU -smp N); used by images built with SMP'
	@echo '  GDB_PORT=1234   port of the gdb stub for make debug; GDB=none only prints the gdb command'
	@echo '  NET=user|none   a NIC on QEMU user networking (default: user if a NIC driver is in)'
	@echo '  NET=tap         as root: on a new tap device with a host address (printed), removed'
	@echo '                  at exit; NET=tap:NAME on an existing tap device'
	@echo '  NIC=virtio|e1000|rtl8139  the NIC model of NET (default: virtio)'
	@echo '  HOSTFWD="tcp:127.0.0.1:8080-:80"  port forwards of the user network'
	@echo '  DISK=file DISK_RO=1  virtio-blk disk (default: build/disk.img, 64 MiB)'
	@echo '  DISKIF=virtio|nvme   how the disk is attached (default virtio)'
	@echo '  SHARE=dir[:/path][,ro]  share a host folder over virtio-9p, mounted at'
	@echo '                  /path (default /share); the default initrd is then left out'
	@echo '  RNG=on|RNG=     virtio-rng entropy device (default: on with the driver)'
	@echo '  INITRD=file     archive for -initrd (default: the app'\''s rootfs/ packed)'
	@echo '  QEMU_FLAGS="..." extra QEMU arguments'

.PHONY: all run debug size initorder clean distclean test bench vmm-config oci \
	help deps disk image FORCE \
	$(config-targets)
FORCE:

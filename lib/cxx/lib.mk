# SPDX-License-Identifier: BSD-3-Clause
lib-$(CONFIG_LIB_CXX) += cxx
cxx-srcs-y := new.cc abi.c
cxx-srcs-$(CONFIG_LIB_CXX_EXCEPTIONS) += eh.c
cxx-srcs-$(CONFIG_LIB_CXX_STDLIB) += stdlib.c
cxx-srcs-$(if $(CONFIG_LIB_CXX_EXCEPTIONS),,y) += throw_none.cc

# The compiler's own C++ libraries, searched with picolibc at the link.
ifeq ($(CONFIG_LIB_CXX),y)
# Their paths are asked of $(CXX) while the makefiles are read, before
# the rule that installs a missing g++ runs: install it now (as root;
# otherwise deps.py names the package and the error below follows).
ifeq ($(shell command -v $(CXX) 2>/dev/null),)
cxx-installed := $(shell $(PYTHON) $(srctree)/support/deps.py tools --quiet \
	--need $(notdir $(CXX)) >&2)
endif
cxx-gcc-lib = $(or $(filter /%,$(shell $(CXX) $(arch-cflags) \
	-print-file-name=$(1))),$(error cairn: lib/cxx needs $(1) of \
	$(CXX): install Debian's g++ for this architecture))
image-libs-$(CONFIG_LIB_CXX_STDLIB) += $(call cxx-gcc-lib,libstdc++.a)
image-libs-$(CONFIG_LIB_CXX_EXCEPTIONS) += $(call cxx-gcc-lib,libsupc++.a) \
	$(call cxx-gcc-lib,libgcc_eh.a)
endif
